import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startNodeFlags } from "../scripts/start-flags.js";
import { freePort } from "../scripts/free-port.js";
import { execute, expectTypename } from "./support/typed.js";
import { MeDocument, SignInDocument, SignUpDocument } from "./generated/graphql/graphql.js";

function startProcess(dataDir: string, port: number, logLevel = "warn"): ChildProcess {
  return spawn(process.execPath, [...startNodeFlags(), "--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: logLevel },
    stdio: ["ignore", logLevel === "warn" ? "ignore" : "pipe", "ignore"],
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
}

/** The messages of the JSON log lines a child wrote to stdout. */
function logMessages(child: ChildProcess): () => string[] {
  let text = "";
  child.stdout!.on("data", (piece: Buffer) => (text += piece.toString()));
  return () =>
    text
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

async function waitUntilReady(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("server did not become ready");
}

describe("embedded database durability", () => {
  it("keeps users and sessions when the server process is killed (SIGKILL) and started again", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "qbi-crash-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let child = startProcess(dataDir, port);
    try {
      await waitUntilReady(url);
      const signUp = await execute(`${url}/graphql`, SignUpDocument, { email: "crash@example.com", password: "a long passphrase" });
      const { token } = expectTypename(signUp.signUp, "AuthPayload");
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;

      // The pid file the killed process left behind is taken over, not refused.
      child = startProcess(dataDir, port);
      await waitUntilReady(url);
      const me = await execute(`${url}/graphql`, MeDocument, {}, { token });
      expect(me.me?.email).toBe("crash@example.com");
    } finally {
      child.kill("SIGTERM");
      await exitOf(child);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("stops cleanly on SIGTERM (exit 0, database closed and reopened), at once on a second signal", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "qbi-stop-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let child = startProcess(dataDir, port, "info");
    try {
      let messages = logMessages(child);
      await waitUntilReady(url);
      await execute(`${url}/graphql`, SignUpDocument, { email: "stop@example.com", password: "a long passphrase" });
      child.kill("SIGTERM");
      expect(await exitOf(child)).toBe(0);
      expect(messages()).toContain("shutting down");
      expect(messages()).not.toContain("second signal, exiting now");

      child = startProcess(dataDir, port, "info");
      messages = logMessages(child);
      await waitUntilReady(url);
      const signIn = await execute(`${url}/graphql`, SignInDocument, { email: "stop@example.com", password: "a long passphrase" });
      expect(signIn.signIn.__typename).toBe("AuthPayload");
      // Two different signals, so the kernel cannot merge them into one: the second arrives while
      // the first one's shutdown is still closing the database.
      child.kill("SIGTERM");
      child.kill("SIGINT");
      expect(await exitOf(child)).toBe(1);
      expect(messages()).toEqual(expect.arrayContaining(["shutting down", "second signal, exiting now"]));
    } finally {
      child.kill("SIGKILL");
      await exitOf(child);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
