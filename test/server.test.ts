import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { print } from "graphql";
import { execute, expectTypename } from "./support/typed.js";
import { MeDocument, SignUpDocument } from "./generated/graphql/graphql.js";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";
import { createLogger } from "../src/logger.js";

const PASSWORD = "correct horse battery staple";

describe.each(databaseModes())("server (%s database)", (mode) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("answers /healthz and /readyz", async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "ok" });
  });

  it("answers unknown paths with 404 JSON and wrong methods with 405", async () => {
    const missing = await fetch(`${t.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "not_found" });
    expect((await fetch(`${t.url}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("logs one JSON line per request with method, path, status and duration", async () => {
    await fetch(`${t.url}/healthz?secret=do-not-log`);
    const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "request" && l.path === "/healthz");
    expect(line).toMatchObject({ method: "GET", status: 200 });
    expect(typeof line.durationMs).toBe("number");
    expect(t.logs.join("\n")).not.toContain("do-not-log");
  });

  it("keeps users and sessions across a restart", async () => {
    const email = `restart-${Date.now()}@example.com`;
    const { signUp } = await execute(t.graphqlUrl, SignUpDocument, { email, password: PASSWORD });
    const { token } = expectTypename(signUp, "AuthPayload");
    await t.restart();
    const { me } = await execute(t.graphqlUrl, MeDocument, {}, { token });
    expect(me?.email).toBe(email);
  });

  it("finishes in-flight requests on shutdown, then refuses new connections", async () => {
    const second = await startTestServer(mode);
    try {
      // A request whose body arrives slowly is in flight when close() starts (raw fetch: the body
      // is a stream graphql-request cannot send).
      const inFlight = fetch(second.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: slowBody(JSON.stringify({ query: print(MeDocument) }), 300),
        duplex: "half",
      } as RequestInit);
      await new Promise((r) => setTimeout(r, 100));
      const closing = second.server.close();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
      await closing;
      await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
    } finally {
      await second.database.drop();
    }
  });
});

describe("embedded data directory", () => {
  it("refuses a second server on the same DATA_DIR instead of corrupting it", async () => {
    const t = await startTestServer("embedded");
    try {
      const config = loadConfig({ ...t.env, PORT: "0" });
      await expect(startServer(config, { logger: createLogger("silent") })).rejects.toThrow(/is in use by process/);
      // The first server is unharmed.
      expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

function slowBody(text: string, delayMs: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const half = Math.floor(bytes.length / 2);
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(bytes.slice(0, half));
      await new Promise((r) => setTimeout(r, delayMs));
      controller.enqueue(bytes.slice(half));
      controller.close();
    },
  });
}
