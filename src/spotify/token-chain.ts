import type { Logger } from "../logger.js";
import type { IntegrationLoader } from "../oauth/integration-loader.js";
import { ProviderNotConfiguredError, ProviderUnavailableError } from "../oauth/errors.js";
import type { AppTokenSource } from "./app-token.js";
import { SpotifyApiError } from "./api.js";

export type TokenSource = "USER" | "SYSTEM" | "APP";

export interface CatalogResult<T> {
  value: T;
  source: TokenSource;
}

export interface TokenChainDeps {
  loader: IntegrationLoader;
  logger: Logger;
  /** The signed-in user, or null. */
  userId: string | null;
  /** The system account's user id, when an admin connected one. */
  systemUserId(): Promise<string | null>;
  appToken: AppTokenSource | null;
}

/**
 * Catalog data (search, tracks, playlists) can be read with any Spotify token, so it tries, in
 * order: the user's own token, the system account's, then the app's client-credentials token.
 * A step that cannot produce a working token falls through to the next. A 429 does not: Spotify
 * limits the whole app, so another token would be refused too. Neither do 400/404 answers,
 * which are about the request, not the token.
 */
export async function withCatalogToken<T>(deps: TokenChainDeps, call: (accessToken: string) => Promise<T>): Promise<CatalogResult<T>> {
  const steps: { source: TokenSource; run: () => Promise<T | undefined> }[] = [
    {
      source: "USER",
      run: async () => (deps.userId ? runIfConnected(deps.loader, deps.userId, call) : undefined),
    },
    {
      source: "SYSTEM",
      run: async () => {
        const systemUserId = await deps.systemUserId();
        return systemUserId ? runIfConnected(deps.loader, systemUserId, call) : undefined;
      },
    },
    {
      source: "APP",
      run: async () => {
        if (!deps.appToken) return undefined;
        const token = await deps.appToken.get();
        try {
          return await call(token);
        } catch (error) {
          if (!(error instanceof SpotifyApiError) || error.status !== 401) throw error;
          deps.appToken.invalidate(token);
          return call(await deps.appToken.get());
        }
      },
    },
  ];
  let lastError: unknown = null;
  const skipped: string[] = [];
  for (const step of steps) {
    try {
      const value = await step.run();
      if (value === undefined) {
        skipped.push(`${step.source}: unavailable`);
        continue;
      }
      if (skipped.length) deps.logger.info({ source: step.source, skipped }, "Spotify token fallback used");
      return { value, source: step.source };
    } catch (error) {
      if (error instanceof SpotifyApiError && error.status !== 401 && error.status !== 403) throw error;
      lastError = error;
      skipped.push(`${step.source}: ${error instanceof Error ? error.constructor.name : "error"}`);
    }
  }
  deps.logger.warn({ skipped }, "no Spotify token worked for a catalog request");
  if (!deps.appToken && !lastError) throw new ProviderNotConfiguredError("SPOTIFY");
  throw lastError instanceof ProviderUnavailableError ? lastError : new ProviderUnavailableError("SPOTIFY", "no Spotify token is available");
}

/** Runs with the user's Spotify token when they have a live connection; undefined when not. */
async function runIfConnected<T>(loader: IntegrationLoader, userId: string, call: (token: string) => Promise<T>): Promise<T | undefined> {
  const row = await loader.integration(userId, "SPOTIFY");
  if (!row || row.status !== "CONNECTED") return undefined;
  return loader.withAccessToken(userId, "SPOTIFY", call);
}
