import { Prisma } from "../generated/prisma/client.js";

/**
 * True for a unique-constraint violation. adapter-pg surfaces it as Prisma's P2002; the PGlite
 * adapter passes the raw Postgres error through (SQLSTATE 23505), so both are recognised.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { cause?: { code?: unknown; kind?: unknown } } | null)?.cause;
  return cause?.code === "23505" || cause?.kind === "UniqueConstraintViolation";
}
