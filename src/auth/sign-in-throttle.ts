import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { PrismaClient } from "../db/database.js";

/** Five wrong passwords within 15 minutes lock sign-in for that email for 15 minutes. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

const keyOf = (email: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(email)));

export interface SignInThrottle {
  /** Seconds until sign-in is allowed again, or 0. */
  lockedFor(email: string): Promise<number>;
  recordFailure(email: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

/**
 * Kept in the database, so the limit holds across server instances. Keyed by email (hashed, so
 * the table lists no addresses) rather than by IP, which proxies and NAT make meaningless.
 */
export function createSignInThrottle(prisma: PrismaClient, now: () => Date): SignInThrottle {
  return {
    async lockedFor(email) {
      const row = await prisma.signInThrottle.findUnique({ where: { id: keyOf(email) } });
      const remaining = (row?.lockedUntil?.getTime() ?? 0) - now().getTime();
      return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
    },
    async recordFailure(email) {
      const id = keyOf(email);
      const at = now();
      await prisma.$transaction(async (tx) => {
        // Row lock: concurrent failures for one email count one after another.
        await tx.$executeRaw`INSERT INTO "SignInThrottle" (id, failures, "windowStartedAt") VALUES (${id}, 0, ${at}) ON CONFLICT (id) DO NOTHING`;
        await tx.$executeRaw`SELECT 1 FROM "SignInThrottle" WHERE id = ${id} FOR UPDATE`;
        const row = await tx.signInThrottle.findUniqueOrThrow({ where: { id } });
        const fresh = at.getTime() - row.windowStartedAt.getTime() > WINDOW_MS;
        const failures = fresh ? 1 : row.failures + 1;
        await tx.signInThrottle.update({
          where: { id },
          data: {
            failures: failures >= MAX_FAILURES ? 0 : failures,
            windowStartedAt: fresh || failures >= MAX_FAILURES ? at : row.windowStartedAt,
            ...(failures >= MAX_FAILURES ? { lockedUntil: new Date(at.getTime() + LOCK_MS) } : {}),
          },
        });
      });
    },
    async recordSuccess(email) {
      await prisma.signInThrottle.deleteMany({ where: { id: keyOf(email) } });
    },
  };
}
