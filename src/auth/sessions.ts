import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { sha256Hex } from "../crypto/sha256-hex.js";
import type { PrismaClient } from "../db/database.js";
import type { Role } from "../generated/prisma/client.js";

/**
 * Sessions after Lucia's published design: the client holds a random token, the database only
 * its SHA-256, so a database leak yields no usable session. Expiry slides: a session used in
 * the second half of its life is extended to a full period again.
 */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const RENEW_WHEN_REMAINING_MS = SESSION_LIFETIME_MS / 2;
/** Upper bound on what we accept as a token, so junk input never reaches the hash or database. */
const MAX_TOKEN_LENGTH = 64;

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export interface ValidatedSession {
  sessionId: string;
  user: SessionUser;
  expiresAt: Date;
  /** True when this validation extended the expiry (the cookie should be re-sent). */
  renewed: boolean;
}

export interface SessionStore {
  create(userId: string): Promise<{ token: string; expiresAt: Date }>;
  validate(token: string): Promise<ValidatedSession | null>;
  invalidate(token: string): Promise<void>;
}

export function generateSessionToken(randomBytes: (n: number) => Uint8Array): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

export const sessionIdOf = sha256Hex;

export function createSessionStore(
  prisma: PrismaClient,
  deps: { now: () => Date; randomBytes: (n: number) => Uint8Array },
): SessionStore {
  return {
    async create(userId) {
      const token = generateSessionToken(deps.randomBytes);
      const expiresAt = new Date(deps.now().getTime() + SESSION_LIFETIME_MS);
      // Sessions that expired unused are swept here, per user, rather than by a scheduler.
      await prisma.$transaction([
        prisma.session.deleteMany({ where: { userId, expiresAt: { lt: deps.now() } } }),
        prisma.session.create({ data: { id: sessionIdOf(token), userId, expiresAt } }),
      ]);
      return { token, expiresAt };
    },

    async validate(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH) return null;
      const id = sessionIdOf(token);
      const row = await prisma.session.findUnique({
        where: { id },
        select: { expiresAt: true, user: { select: { id: true, email: true, role: true } } },
      });
      if (!row) return null;
      const now = deps.now().getTime();
      if (now >= row.expiresAt.getTime()) {
        await prisma.session.deleteMany({ where: { id } });
        return null;
      }
      if (row.expiresAt.getTime() - now < RENEW_WHEN_REMAINING_MS) {
        const expiresAt = new Date(now + SESSION_LIFETIME_MS);
        await prisma.session.update({ where: { id }, data: { expiresAt } });
        return { sessionId: id, user: row.user, expiresAt, renewed: true };
      }
      return { sessionId: id, user: row.user, expiresAt: row.expiresAt, renewed: false };
    },

    async invalidate(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH) return;
      await prisma.session.deleteMany({ where: { id: sessionIdOf(token) } });
    },
  };
}
