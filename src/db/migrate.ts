import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.js";

/** The few operations the migrator needs; implemented for PGlite and for node-postgres. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script that may hold several statements. */
  exec(sql: string): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Prisma Migrate's own advisory lock key, so this runner and `prisma migrate` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// The table exactly as Prisma Migrate creates it, so its tooling reads our records.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      // Prisma's checksum: SHA-256 of the script, hex.
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies pending migrations in name order, each in its own transaction, under Prisma's advisory
 * lock: instances starting at the same moment wait for each other and each migration runs once.
 * Returns the names applied by this call.
 */
export async function applyMigrations(
  session: SqlSession,
  logger: Logger,
  migrations?: MigrationFile[],
): Promise<string[]> {
  const files = migrations ?? (await readMigrations());
  await session.exec(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY})`);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then ` +
          `mark it with \`prisma migrate resolve --rolled-back ${failed.migration_name}\``,
      );
    }
    const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
    for (const name of applied.keys()) {
      if (!files.some((f) => f.name === name)) {
        logger.warn({ migration: name }, "database has a migration that is not in prisma/migrations");
      }
    }
    const done: string[] = [];
    for (const file of files) {
      const existing = applied.get(file.name);
      if (existing) {
        if (existing.checksum !== file.checksum) {
          logger.warn({ migration: file.name }, "migration was edited after it was applied (checksum differs)");
        }
        continue;
      }
      await applyOne(session, file);
      logger.info({ migration: file.name }, "applied migration");
      done.push(file.name);
    }
    return done;
  } finally {
    await session.exec(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK_KEY})`);
  }
}

async function applyOne(session: SqlSession, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await session.exec("BEGIN");
  try {
    await session.exec(file.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [id, file.checksum, file.name],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    const message = error instanceof Error ? error.message : String(error);
    // Recorded as Prisma records a failed migration, so `prisma migrate status` reports it too.
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, logs, applied_steps_count)
       VALUES ($1, $2, $3, now(), $4, 0)`,
      [id, file.checksum, file.name, message],
    );
    throw new MigrationError(`migration ${file.name} failed: ${message}`);
  }
}
