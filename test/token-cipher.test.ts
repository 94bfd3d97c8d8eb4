import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTokenCipher, TokenDecryptionError } from "../src/crypto/token-cipher.js";
import { GENERATED_KEY_FILE, resolveEncryptionKey } from "../src/crypto/encryption-key.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

const key = () => randomBytes(32).toString("base64");

describe("token cipher", () => {
  it("round-trips and never contains the plaintext", () => {
    const cipher = createTokenCipher(key());
    const sealed = cipher.encrypt("sl.secret-access-token", "integration:1:access");
    expect(sealed).not.toContain("secret");
    expect(sealed.startsWith(`v1.${cipher.currentKeyId}.`)).toBe(true);
    expect(cipher.decrypt(sealed, "integration:1:access")).toBe("sl.secret-access-token");
    expect(cipher.encrypt("same", "c")).not.toBe(cipher.encrypt("same", "c")); // random IV
  });

  it("refuses a ciphertext moved to another context, tampered with, or truncated", () => {
    const cipher = createTokenCipher(key());
    const sealed = cipher.encrypt("token", "integration:1:access");
    expect(() => cipher.decrypt(sealed, "integration:2:access")).toThrow(TokenDecryptionError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), body.toString("base64url")].join("."), "integration:1:access")).toThrow(
      /failed authentication/,
    );
    expect(() => cipher.decrypt("v1.abc", "x")).toThrow(/unrecognised/);
    expect(() => cipher.decrypt("plaintext-token", "x")).toThrow(TokenDecryptionError);
  });

  it("rotates keys: old ciphertexts decrypt with the old key listed as decrypt-only", () => {
    const oldKey = key();
    const sealed = createTokenCipher(oldKey).encrypt("token", "ctx");
    const rotated = createTokenCipher(key(), [oldKey]);
    expect(rotated.decrypt(sealed, "ctx")).toBe("token");
    expect(rotated.needsReencryption(sealed)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt("token", "ctx"))).toBe(false);
    expect(() => createTokenCipher(key()).decrypt(sealed, "ctx")).toThrow(/no key with id/);
  });
});

describe("encryption key resolution", () => {
  it("generates a key into DATA_DIR once (mode 0600) and reuses it", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "qbi-key-"));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      const logger = createLogger("silent");
      const first = await resolveEncryptionKey(config, logger);
      expect(Buffer.from(first, "base64")).toHaveLength(32);
      const file = join(dataDir, GENERATED_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, "utf8")).trim()).toBe(first);
      expect(await resolveEncryptionKey(config, logger)).toBe(first);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("prefers TOKEN_ENCRYPTION_KEY and writes nothing", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "qbi-key-"));
    try {
      const configured = key();
      const config = loadConfig({ DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: configured });
      expect(await resolveEncryptionKey(config, createLogger("silent"))).toBe(configured);
      await expect(stat(join(dataDir, GENERATED_KEY_FILE))).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
