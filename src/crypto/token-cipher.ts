import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest (OAuth tokens, PKCE verifiers).
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts). The key id is derived from the
 * key itself, so rotating means: set the new key, move the old one to the decrypt-only list.
 * The optional context is bound as additional authenticated data, so a ciphertext copied to
 * another row or column fails to decrypt instead of silently yielding someone else's token.
 */
export interface TokenCipher {
  encrypt(plaintext: string, context?: string): string;
  decrypt(ciphertext: string, context?: string): string;
  /** True when the value was sealed with a key other than the current one. */
  needsReencryption(ciphertext: string): boolean;
  readonly currentKeyId: string;
}

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("qbi-token-key:").update(key).digest("hex").slice(0, 12);
}

function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new Error("token encryption keys must be 32 bytes");
  return key;
}

export function createTokenCipher(currentKeyBase64: string, oldKeysBase64: string[] = []): TokenCipher {
  const current = decodeKey(currentKeyBase64);
  const currentKeyId = keyIdOf(current);
  const keys = new Map<string, Buffer>([[currentKeyId, current]]);
  for (const old of oldKeysBase64) {
    const key = decodeKey(old);
    if (!keys.has(keyIdOf(key))) keys.set(keyIdOf(key), key);
  }

  return {
    currentKeyId,
    encrypt(plaintext, context = "") {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, currentKeyId, iv.toString("base64url"), body.toString("base64url")].join(".");
    },
    decrypt(sealed, context = "") {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new TokenDecryptionError("unrecognised ciphertext format");
      }
      const [, keyId, ivPart, bodyPart] = parts as [string, string, string, string];
      const key = keys.get(keyId);
      if (!key) throw new TokenDecryptionError(`no key with id ${keyId} is configured`);
      const iv = Buffer.from(ivPart, "base64url");
      const body = Buffer.from(bodyPart, "base64url");
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
        throw new TokenDecryptionError("truncated ciphertext");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
          "utf8",
        );
      } catch {
        throw new TokenDecryptionError("ciphertext failed authentication");
      }
    },
    needsReencryption(sealed) {
      return sealed.split(".")[1] !== currentKeyId;
    },
  };
}
