import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createHash } from "node:crypto";
import { openDatabase, type Database } from "../src/db/database.js";
import { applyMigrations, readMigrations, type SqlSession } from "../src/db/migrate.js";
import { createLogger } from "../src/logger.js";
import { createTestDatabase, databaseModes, type TestDatabase } from "./support/database.js";

/** Runs a command until its output matches (the Prisma CLI leaves PGlite open and never exits). */
function runUntil(command: string, args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        child.kill();
        resolve(output);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", () => (pattern.test(output) ? resolve(output) : reject(new Error(output))));
  });
}
const logger = createLogger("silent");

interface PrismaMigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

describe.each(databaseModes())("migrations (%s database)", (mode) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(mode);
    database = await openDatabase(
      mode === "embedded" ? { kind: "embedded", dataDir: testDb.dataDir } : { kind: "server", url: testDb.url! },
    );
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it("applies every migration once and records it the way Prisma Migrate does", async () => {
    const files = await readMigrations();
    const first = await database.withSession((s) => applyMigrations(s, logger));
    expect(first).toEqual(files.map((f) => f.name));
    expect(await database.withSession((s) => applyMigrations(s, logger))).toEqual([]);

    const rows = await database.withSession((s) =>
      s.query<PrismaMigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`),
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.checksum).toBe(createHash("sha256").update(files[i]!.sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // The schema is really there.
    expect(await database.prisma.user.count()).toBe(0);
  });

  it("rolls back a failing migration, records the failure, and refuses to continue until it is resolved", async () => {
    const broken = { name: "99999999999999_broken", sql: "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;", checksum: "x".repeat(64) };
    const files = [...(await readMigrations()), broken];
    await expect(database.withSession((s) => applyMigrations(s, logger, files))).rejects.toThrow(
      /migration 99999999999999_broken failed: .*no_such_table/,
    );
    const tables = await database.withSession((s) =>
      s.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'half_done'`),
    );
    expect(tables[0]?.n).toBe("0");
    await expect(database.withSession((s) => applyMigrations(s, logger, files))).rejects.toThrow(
      /failed earlier and was not rolled back/,
    );
    await database.withSession((s) =>
      s.exec(`DELETE FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`),
    );
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("migrations from several instances at once (PostgreSQL server)", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase("server");
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("applies each migration exactly once when eight instances migrate simultaneously", async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = new pg.Client({ connectionString: testDb.url });
        await client.connect();
        return client;
      }),
    );
    try {
      const sessions: SqlSession[] = clients.map((client) => ({
        query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
        exec: async (sql: string) => void (await client.query(sql)),
      }));
      const results = await Promise.all(sessions.map((s) => applyMigrations(s, logger)));
      const files = await readMigrations();
      expect(results.flat().sort()).toEqual(files.map((f) => f.name).sort());
      const rows = await clients[0]!.query(`SELECT migration_name FROM "_prisma_migrations"`);
      expect(rows.rowCount).toBe(files.length);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe("Prisma's own tooling", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase("embedded");
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("`prisma migrate status` agrees that our runner applied everything", async () => {
    const database = await openDatabase({ kind: "embedded", dataDir: testDb.dataDir });
    await database.withSession((s) => applyMigrations(s, logger));
    await database.close();
    const output = await runUntil(
      "npx",
      ["prisma", "migrate", "status"],
      { ...process.env, PRISMA_CLI_PGLITE_DIR: `${testDb.dataDir}/pglite` },
      /Database schema is up to date|have not yet been applied|failed/,
    );
    expect(output).toMatch(/\d+ migrations? found in prisma\/migrations/);
    expect(output).toMatch(/Database schema is up to date/);
  }, 60_000);
});
