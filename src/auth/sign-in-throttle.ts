import { sha256Hex } from "../crypto/sha256-hex.js";
import type { PrismaClient } from "../db/database.js";

/** Five wrong passwords within 15 minutes lock sign-in for that email for 15 minutes. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

const keyOf = sha256Hex;

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
        await tx.$executeRaw`INSERT INTO "SignInThrottle" (id, failures, "windowStartedAt") VALUES (${id}, 0, ${at}) ON CONFLICT (id) DO NOTHING`;
        // Row lock: concurrent failures for one email count one after another.
        const [row] = await tx.$queryRaw<{ failures: number; windowStartedAt: Date }[]>`
          SELECT failures, "windowStartedAt" FROM "SignInThrottle" WHERE id = ${id} FOR UPDATE`;
        const fresh = at.getTime() - row!.windowStartedAt.getTime() > WINDOW_MS;
        const failures = fresh ? 1 : row!.failures + 1;
        const locks = failures >= MAX_FAILURES;
        await tx.signInThrottle.update({
          where: { id },
          data: {
            failures: locks ? 0 : failures,
            windowStartedAt: fresh || locks ? at : row!.windowStartedAt,
            ...(locks ? { lockedUntil: new Date(at.getTime() + LOCK_MS) } : {}),
          },
        });
      });
    },
    async recordSuccess(email) {
      await prisma.signInThrottle.deleteMany({ where: { id: keyOf(email) } });
    },
  };
}
