import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("loadConfig", () => {
  it("has working defaults with an empty environment", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 5000,
      publicUrl: "http://localhost:5000",
      appUrl: "http://localhost:5000",
      database: { kind: "embedded", dataDir: "./.data" },
      migrateOnStart: true,
      nodeEnv: "development",
    });
  });

  it("uses DATABASE_URL for server mode and strips trailing slashes from URLs", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://u:p@127.0.0.1/db",
      TOKEN_ENCRYPTION_KEY: KEY,
      PUBLIC_URL: "https://api.example.com/",
      APP_URL: "https://app.example.com/",
      MIGRATE_ON_START: "false",
    });
    expect(config.database).toEqual({ kind: "server", url: "postgres://u:p@127.0.0.1/db" });
    expect(config.publicUrl).toBe("https://api.example.com");
    expect(config.appUrl).toBe("https://app.example.com");
    expect(config.migrateOnStart).toBe(false);
  });

  it.each([
    [{ PORT: "eighty" }, /PORT: expected a port number/],
    [{ PORT: "70000" }, /PORT: expected a port between 0 and 65535/],
    [{ PUBLIC_URL: "localhost:5000" }, /PUBLIC_URL: expected an absolute http\(s\) URL/],
    [{ APP_URL: "ftp://files.example.com" }, /APP_URL: expected an absolute http\(s\) URL/],
    [{ DATABASE_URL: "mysql://db" }, /DATABASE_URL: expected a postgres:\/\//],
    [{ TOKEN_ENCRYPTION_KEY: "dG9vIHNob3J0" }, /TOKEN_ENCRYPTION_KEY: expected 32 random bytes/],
    [{ TOKEN_ENCRYPTION_KEYS_OLD: `${KEY},nope` }, /TOKEN_ENCRYPTION_KEYS_OLD \(entry 2\): expected 32 random bytes/],
    [{ NODE_ENV: "staging" }, /NODE_ENV: .*"development"/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ MIGRATE_ON_START: "maybe" }, /MIGRATE_ON_START: expected true or false/],
    [{ NODE_ENV: "production" }, /TOKEN_ENCRYPTION_KEY: required when NODE_ENV=production/],
    [{ DATABASE_URL: "postgres://x/y" }, /TOKEN_ENCRYPTION_KEY: required when DATABASE_URL is set/],
  ])("refuses %o naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("reports every invalid variable at once", () => {
    expect(() => loadConfig({ PORT: "x", PUBLIC_URL: "y" })).toThrow(/PORT:.*\n.*PUBLIC_URL:/s);
  });
});

describe("start-up with a bad environment", () => {
  it("exits with status 1 and a message naming the variable, before touching the database", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "qbi-config-"));
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        env: { PATH: process.env.PATH ?? "", PORT: "not-a-port", DATA_DIR: dataDir },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(1);
      expect(stderr).toContain("PORT: expected a port number");
      expect(stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
