import type { PrismaClient } from "../db/database.js";

/**
 * Integrations that belong to the service rather than a person (the system Spotify account of
 * the catalog fallback chain) hang off this user, which has no password and cannot sign in.
 */
export const SYSTEM_USER_EMAIL = "system@quizzical-beats.invalid";

export async function findSystemUserId(prisma: PrismaClient): Promise<string | null> {
  return (await prisma.user.findUnique({ where: { email: SYSTEM_USER_EMAIL }, select: { id: true } }))?.id ?? null;
}

export async function ensureSystemUserId(prisma: PrismaClient): Promise<string> {
  const user = await prisma.user.upsert({
    where: { email: SYSTEM_USER_EMAIL },
    create: { email: SYSTEM_USER_EMAIL, passwordHash: "!" },
    update: {},
    select: { id: true },
  });
  return user.id;
}
