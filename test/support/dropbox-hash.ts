import { createHash } from "node:crypto";

const BLOCK_BYTES = 4 * 1024 * 1024;

/** Dropbox's content_hash written out plainly (SHA-256 over the SHA-256 of each 4 MiB block), independent of the server's incremental hasher. */
export function dropboxContentHash(bytes: Uint8Array): string {
  const overall = createHash("sha256");
  for (let offset = 0; offset < bytes.length; offset += BLOCK_BYTES) {
    overall.update(
      createHash("sha256")
        .update(bytes.subarray(offset, offset + BLOCK_BYTES))
        .digest(),
    );
  }
  return overall.digest("hex");
}
