import type { Config } from "./config.js";
import type { PrismaClient } from "./db/database.js";
import type { Logger } from "./logger.js";
import type { SessionStore, SessionUser } from "./auth/sessions.js";
import type { SignInThrottle } from "./auth/sign-in-throttle.js";
import type { TokenCipher } from "./crypto/token-cipher.js";
import type { OAuthProvider, ProviderId } from "./oauth/provider.js";
import type { TokenRefresher } from "./oauth/token-refresher.js";
import type { IntegrationLoader } from "./oauth/integration-loader.js";
import type { Fetch } from "./oauth/openid.js";
import type { AppTokenSource } from "./spotify/app-token.js";

/** Long-lived collaborators, built once by the server and shared by every request. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  sessions: SessionStore;
  signInThrottle: SignInThrottle;
  cipher: TokenCipher;
  now: () => Date;
  /** Outbound HTTP to providers (injectable for tests). */
  fetch: Fetch;
  /** Configured providers only; a missing entry means "not configured on this server". */
  providers: Partial<Record<ProviderId, OAuthProvider>>;
  refresher: TokenRefresher;
  /** Spotify client-credentials token, shared by all requests; null when Spotify is not configured. */
  spotifyAppToken: AppTokenSource | null;
}

export interface GraphQLContext {
  services: Services;
  prisma: PrismaClient;
  logger: Logger;
  viewer: SessionUser | null;
  /** The token this request authenticated with, and how it arrived. */
  session: { token: string; via: "cookie" | "bearer" } | null;
  /** Refresh-aware access to integrations and tokens, per request. */
  integrations: IntegrationLoader;
  /** Set-Cookie values to add to this request's response. */
  responseCookies: string[];
}
