import type { PrismaClient } from "../db/database.js";

/**
 * Integrations that belong to the service rather than a person (the system Spotify account of
 * the catalog fallback chain) hang off this user, which has no password and cannot sign in.
 */
export const SYSTEM_USER_EMAIL = "system@quizzical-beats.invalid";

/** Once the system user exists its id never changes, so catalog requests stop asking for it. */
const knownIds = new WeakMap<PrismaClient, string>();

export async function findSystemUserId(prisma: PrismaClient): Promise<string | null> {
  const known = knownIds.get(prisma);
  if (known) return known;
  const id = (await prisma.user.findUnique({ where: { email: SYSTEM_USER_EMAIL }, select: { id: true } }))?.id ?? null;
  if (id) knownIds.set(prisma, id);
  return id;
}

export async function ensureSystemUserId(prisma: PrismaClient): Promise<string> {
  const known = await findSystemUserId(prisma);
  if (known) return known;
  const user = await prisma.user.upsert({
    where: { email: SYSTEM_USER_EMAIL },
    create: { email: SYSTEM_USER_EMAIL, passwordHash: "!" },
    update: {},
    select: { id: true },
  });
  knownIds.set(prisma, user.id);
  return user.id;
}
