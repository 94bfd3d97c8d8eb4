import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

export const GENERATED_KEY_FILE = "token-encryption.key";

/**
 * The configured key, or in embedded mode a key generated once into DATA_DIR so a newcomer can
 * start without setup. Production and server mode are refused without a key by loadConfig.
 */
export async function resolveEncryptionKey(config: Config, logger: Logger): Promise<string> {
  if (config.tokenEncryption.key) return config.tokenEncryption.key;
  if (config.database.kind !== "embedded" || config.isProduction) {
    throw new Error("TOKEN_ENCRYPTION_KEY is required");
  }
  const path = join(config.database.dataDir, GENERATED_KEY_FILE);
  try {
    const existing = (await readFile(path, "utf8")).trim();
    if (Buffer.from(existing, "base64").length !== 32) {
      throw new Error(`${path} does not hold a 32-byte base64 key; set TOKEN_ENCRYPTION_KEY or remove the file`);
    }
    logger.warn({ path }, "TOKEN_ENCRYPTION_KEY is not set; using the key generated earlier in DATA_DIR");
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(config.database.dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64");
  // `wx` fails if another process created the file meanwhile, rather than overwriting its key.
  await writeFile(path, `${key}\n`, { mode: 0o600, flag: "wx" });
  logger.warn(
    { path },
    "TOKEN_ENCRYPTION_KEY is not set; generated a key into DATA_DIR. Set TOKEN_ENCRYPTION_KEY before production use",
  );
  return key;
}
