import type { Config } from "./config.js";
import type { PrismaClient } from "./db/database.js";
import type { Logger } from "./logger.js";
import type { SessionStore, SessionUser } from "./auth/sessions.js";
import type { TokenCipher } from "./crypto/token-cipher.js";

/** Long-lived collaborators, built once by the server and shared by every request. */
export interface Services {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  sessions: SessionStore;
  cipher: TokenCipher;
  now: () => Date;
}

export interface GraphQLContext {
  services: Services;
  prisma: PrismaClient;
  logger: Logger;
  viewer: SessionUser | null;
  /** The token this request authenticated with, and how it arrived. */
  session: { token: string; via: "cookie" | "bearer" } | null;
  /** Set-Cookie values to add to this request's response. */
  responseCookies: string[];
}
