import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { SqlSession } from "./migrate.js";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.js";

export type { PrismaClient };

export interface Database {
  kind: "embedded" | "server";
  prisma: PrismaClient;
  /** Runs `work` on one dedicated SQL session (used for migrations). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };

export interface DatabaseOptions {
  /** Called once per SQL statement Prisma sends (tests count queries with it). */
  onQuery?: () => void;
}

export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<Database> {
  return target.kind === "embedded" ? openEmbedded(target.dataDir, options) : openServer(target.url, options);
}

/**
 * Interactive transactions wait up to 10 s for a connection (Prisma's default is 2 s): under load
 * a short burst must queue, not fail, and PGlite serializes every transaction on one connection.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

function createClient(adapter: PrismaPGlite | PrismaPg, options: DatabaseOptions): PrismaClient {
  if (!options.onQuery) return new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
  const onQuery = options.onQuery;
  const client = new PrismaClient({
    adapter,
    transactionOptions: TRANSACTION_OPTIONS,
    log: [{ emit: "event", level: "query" }],
  });
  client.$on("query", () => onQuery());
  return client;
}

async function openEmbedded(dataDir: string, options: DatabaseOptions): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(join(dataDir, "pglite"));
  } catch (error) {
    await lock.release();
    throw error;
  }
  const prisma = createClient(new PrismaPGlite(pglite), options);
  const session: SqlSession = {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
    async exec(sql) {
      await pglite.exec(sql);
    },
  };
  return {
    kind: "embedded",
    prisma,
    // PGlite has a single connection; Prisma is idle while migrations run at start-up.
    withSession: (work) => work(session),
    async ping() {
      await pglite.query("SELECT 1");
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await lock.release();
    },
  };
}

async function openServer(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Without a listener an idle client's network error would crash the process.
  pool.on("error", () => undefined);
  const prisma = createClient(new PrismaPg(pool), options);
  return {
    kind: "server",
    prisma,
    async withSession(work) {
      const client = await pool.connect();
      try {
        return await work({
          async query<Row>(sql: string, params?: unknown[]) {
            return (await client.query(sql, params)).rows as Row[];
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
