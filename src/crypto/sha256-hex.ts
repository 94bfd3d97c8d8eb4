import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

/**
 * The lowercase hex SHA-256 of a text: how session tokens, OAuth states and sign-in emails become
 * database keys, so the table never holds the value itself.
 */
export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}
