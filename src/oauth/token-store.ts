import type { TokenCipher } from "../crypto/token-cipher.js";
import type { ProviderId } from "./provider.js";

/**
 * Token ciphertexts are bound to their owner and purpose (AES-GCM additional data), so a
 * ciphertext copied onto another user's row does not decrypt.
 */
function context(userId: string, provider: ProviderId, kind: "access" | "refresh"): string {
  return `integration:${userId}:${provider}:${kind}`;
}

export interface SealedTokenRow {
  userId: string;
  provider: ProviderId;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
}

export function sealAccessToken(cipher: TokenCipher, userId: string, provider: ProviderId, token: string): string {
  return cipher.encrypt(token, context(userId, provider, "access"));
}

export function sealRefreshToken(cipher: TokenCipher, userId: string, provider: ProviderId, token: string): string {
  return cipher.encrypt(token, context(userId, provider, "refresh"));
}

export function openAccessToken(cipher: TokenCipher, row: SealedTokenRow): string | null {
  return row.accessTokenEnc ? cipher.decrypt(row.accessTokenEnc, context(row.userId, row.provider, "access")) : null;
}

export function openRefreshToken(cipher: TokenCipher, row: SealedTokenRow): string | null {
  return row.refreshTokenEnc ? cipher.decrypt(row.refreshTokenEnc, context(row.userId, row.provider, "refresh")) : null;
}
