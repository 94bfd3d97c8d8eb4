import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startNodeFlags } from "../scripts/start-flags.js";
import { freePort } from "../scripts/free-port.js";
import { execute, expectTypename } from "./support/typed.js";
import { MeDocument, SignUpDocument } from "./generated/graphql/graphql.js";

function startProcess(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, [...startNodeFlags(), "--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
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
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
