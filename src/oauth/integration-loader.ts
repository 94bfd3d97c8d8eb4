import DataLoader from "dataloader";
import type { PrismaClient } from "../db/database.js";
import type { Integration } from "../generated/prisma/client.js";
import type { ProviderId } from "./provider.js";
import type { TokenRefresher } from "./token-refresher.js";
import { NotConnectedError } from "./errors.js";
import { ProviderHttpError } from "./provider-http-error.js";

/**
 * The one way resolvers reach integrations and their tokens, made once per request:
 * integration rows are batched (one query for every user/provider asked for in a tick) and
 * memoized, and access tokens come through the refresh-aware TokenRefresher.
 */
export interface IntegrationLoader {
  integration(userId: string, provider: ProviderId): Promise<Integration | null>;
  /** A usable access token, refreshed first when it is about to expire. */
  accessToken(userId: string, provider: ProviderId, options?: { force?: boolean }): Promise<string>;
  /**
   * Runs `call` with a token; a refused token (a 401 not about the grant) triggers one forced
   * refresh and one retry.
   * `revalidate` re-reads the integration first, for long operations (uploads) that outlive a token.
   */
  withAccessToken<T>(
    userId: string,
    provider: ProviderId,
    call: (accessToken: string) => Promise<T>,
    options?: { revalidate?: boolean },
  ): Promise<T>;
  /** Seeds the batch cache with rows read elsewhere (e.g. a page of users with their integrations). */
  prime(userId: string, provider: ProviderId, row: Integration | null): void;
  /** Forget what this request read (after the request itself changed an integration). */
  clear(userId: string, provider: ProviderId): void;
}

const keyOf = (userId: string, provider: ProviderId) => `${userId}:${provider}`;

export function createIntegrationLoader(prisma: PrismaClient, refresher: TokenRefresher): IntegrationLoader {
  const rows = new DataLoader<string, Integration | null>(async (keys) => {
    const pairs = keys.map((key) => key.split(":") as [string, ProviderId]);
    const found = await prisma.integration.findMany({
      where: { OR: pairs.map(([userId, provider]) => ({ userId, provider })) },
    });
    const byKey = new Map(found.map((row) => [keyOf(row.userId, row.provider), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
  const tokens = new Map<string, Promise<string>>();

  const loader: IntegrationLoader = {
    integration: (userId, provider) => rows.load(keyOf(userId, provider)),

    accessToken(userId, provider, options = {}) {
      const key = keyOf(userId, provider);
      if (!options.force) {
        const memo = tokens.get(key);
        if (memo) return memo;
      }
      const pending = (async () => {
        if (options.force) rows.clear(key);
        const row = await rows.load(key);
        if (!row) throw new NotConnectedError(provider);
        return refresher.accessToken(row, options);
      })();
      tokens.set(key, pending);
      // A failure is not memoized: the next caller tries again.
      pending.catch(() => tokens.delete(key));
      return pending;
    },

    async withAccessToken(userId, provider, call, options = {}) {
      if (options.revalidate) loader.clear(userId, provider);
      const token = await loader.accessToken(userId, provider);
      try {
        return await call(token);
      } catch (error) {
        if (!(error instanceof ProviderHttpError) || !error.tokenRejected) throw error;
        const fresh = await loader.accessToken(userId, provider, { force: true });
        return call(fresh);
      }
    },

    prime(userId, provider, row) {
      rows.prime(keyOf(userId, provider), row);
    },

    clear(userId, provider) {
      rows.clear(keyOf(userId, provider));
      tokens.delete(keyOf(userId, provider));
    },
  };
  return loader;
}
