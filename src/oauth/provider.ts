import type { Configuration } from "openid-client";
import type { Prisma } from "../generated/prisma/client.js";

export type ProviderId = "DROPBOX" | "SPOTIFY";
export const PROVIDER_IDS: readonly ProviderId[] = ["DROPBOX", "SPOTIFY"];

export interface ProviderAccount {
  accountId: string;
  accountName: string;
}

/**
 * A provider is data plus a few functions: what to ask for, how to identify the account, how to
 * revoke. The OAuth grants themselves go through openid-client with `configuration`.
 */
export interface OAuthProvider {
  id: ProviderId;
  scopes: readonly string[];
  /** Extra authorization request parameters (e.g. Dropbox's token_access_type=offline). */
  authorizeParams: Readonly<Record<string, string>>;
  redirectUri: string;
  /** Used when a token response has no expires_in. */
  defaultAccessTokenTtlSeconds: number;
  configuration: Configuration;
  fetchAccount(accessToken: string): Promise<ProviderAccount>;
  /** Added to the reconnect-required message, e.g. why the grant may have lapsed. */
  reconnectHint?: string;
  /** Absent when the provider has no revocation endpoint. */
  revoke?(accessToken: string): Promise<void>;
  /** Runs in the transaction that stores a new connection (e.g. default settings). */
  afterConnect?(tx: Prisma.TransactionClient, userId: string): Promise<void>;
}
