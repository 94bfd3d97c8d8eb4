import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { GraphQLClient } from "graphql-request";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server.js";
import { createTestDatabase, type DatabaseMode, type TestDatabase } from "./database.js";

/** A clock tests can move forward. */
export class TestClock {
  offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export interface TestServer {
  url: string;
  graphqlUrl: string;
  server: RunningServer;
  database: TestDatabase;
  clock: TestClock;
  /** Every log line the server wrote, as raw JSON text. */
  logs: string[];
  env: Record<string, string>;
  client(token?: string): GraphQLClient;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString("base64");

export async function startTestServer(
  mode: DatabaseMode,
  extraEnv: Record<string, string> = {},
  existing?: TestDatabase,
  serverOptions: ServerOptions = {},
): Promise<TestServer> {
  const database = existing ?? (await createTestDatabase(mode));
  const clock = new TestClock();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const env: Record<string, string> = {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "debug",
    ...(mode === "server" ? { TOKEN_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } : {}),
    ...database.env,
    ...extraEnv,
  };
  const boot = async () => {
    const config = loadConfig(env);
    return startServer(config, { ...serverOptions, logger: createLogger(config.logLevel, sink), now: clock.now });
  };
  let server = await boot();
  const handle: TestServer = {
    get url() {
      return server.url;
    },
    get graphqlUrl() {
      return `${server.url}/graphql`;
    },
    get server() {
      return server;
    },
    database,
    clock,
    logs,
    env,
    client(token) {
      return new GraphQLClient(`${server.url}/graphql`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    },
    async restart() {
      await server.close();
      // Same port is not needed: clients read `url` afresh.
      server = await boot();
    },
    async close() {
      await server.close();
      if (!existing) await database.drop();
    },
  };
  return handle;
}
