import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export type DatabaseMode = "embedded" | "server";

/** Embedded always; the PostgreSQL server too when TEST_DATABASE_URL is set (CI sets it). */
export function databaseModes(): DatabaseMode[] {
  return process.env.TEST_DATABASE_URL ? ["embedded", "server"] : ["embedded"];
}

export interface TestDatabase {
  /** Environment entries that point the server at this database. */
  env: Record<string, string>;
  dataDir: string;
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp DATA_DIR, or a new database on the TEST_DATABASE_URL server. */
export async function createTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), "qbi-test-"));
  if (mode === "embedded") {
    return { env: { DATA_DIR: dataDir }, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `qbi_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    dataDir,
    url: url.toString(),
    async drop() {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
