import * as client from "openid-client";
import type { OAuthProvider } from "../oauth/provider.js";
import { ProviderUnavailableError } from "../oauth/errors.js";

/** Renew the app token this long before Spotify says it expires. */
const RENEW_BEFORE_MS = 60_000;

export interface AppTokenSource {
  /** A client-credentials token shared by every request of this instance. */
  get(): Promise<string>;
  /** Drop a token Spotify refused, so the next get() fetches a new one. */
  invalidate(token: string): void;
}

/** Cached until shortly before expiry; concurrent callers share one grant (single flight). */
export function createAppTokenSource(provider: OAuthProvider, now: () => Date): AppTokenSource {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  return {
    get() {
      if (cached && cached.expiresAt - now().getTime() > RENEW_BEFORE_MS) return Promise.resolve(cached.token);
      pending ??= client
        .clientCredentialsGrant(provider.configuration)
        .then((tokens) => {
          cached = {
            token: tokens.access_token,
            expiresAt: now().getTime() + (tokens.expires_in ?? provider.defaultAccessTokenTtlSeconds) * 1000,
          };
          return tokens.access_token;
        })
        .catch(() => {
          throw new ProviderUnavailableError("SPOTIFY", "the app token could not be obtained");
        })
        .finally(() => {
          pending = null;
        });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}
