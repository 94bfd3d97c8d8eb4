import * as client from "openid-client";
import type { OAuthClientConfig } from "../config.js";

export type Fetch = typeof fetch;

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * openid-client configuration for a plain OAuth 2 provider (no discovery). Plain http is
 * allowed only for loopback endpoints (the emulator); real providers are https.
 */
export function createOAuthConfiguration(
  endpoints: OAuthClientConfig,
  fetchImpl: Fetch,
  timeoutMs: number,
): client.Configuration {
  const metadata: client.ServerMetadata = {
    issuer: new URL(endpoints.authorizeUrl).origin,
    authorization_endpoint: endpoints.authorizeUrl,
    token_endpoint: endpoints.tokenUrl,
    code_challenge_methods_supported: ["S256"],
  };
  // HTTP Basic, as both Dropbox and Spotify document (openid-client would default to client_secret_post).
  const configuration = new client.Configuration(
    metadata,
    endpoints.clientId,
    endpoints.clientSecret,
    client.ClientSecretBasic(endpoints.clientSecret),
  );
  // A hung provider must not hang our requests (openid-client counts in seconds).
  configuration.timeout = timeoutMs / 1000;
  configuration[client.customFetch] = (url, options) => fetchImpl(url, options as RequestInit);
  const insecure = [endpoints.authorizeUrl, endpoints.tokenUrl].filter((u) => u.startsWith("http:"));
  if (insecure.length > 0) {
    if (!insecure.every(isLoopback)) {
      throw new Error(`OAuth endpoints must use https unless they are on loopback: ${insecure.join(", ")}`);
    }
    client.allowInsecureRequests(configuration);
  }
  return configuration;
}

/** The OAuth error code of a failed grant (e.g. "invalid_grant"), if the provider sent one. */
export function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof client.ResponseBodyError) return error.error;
  return undefined;
}

/** Whether a failed grant is the provider's fault or the network's (worth retrying later). */
export function isTransientGrantError(error: unknown): boolean {
  if (error instanceof client.ResponseBodyError) return error.status >= 500 || error.status === 429;
  return true;
}
