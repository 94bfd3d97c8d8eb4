import { createHash, type Hash } from "node:crypto";

const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Dropbox's content_hash, computed incrementally: SHA-256 of each 4 MiB block, then SHA-256 of
 * the concatenated block digests (hex). Lets us verify what Dropbox stored against what we sent.
 */
export class DropboxContentHasher {
  private readonly overall: Hash = createHash("sha256");
  private block: Hash = createHash("sha256");
  private blockFill = 0;

  update(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(BLOCK_BYTES - this.blockFill, data.length - offset);
      this.block.update(data.subarray(offset, offset + take));
      this.blockFill += take;
      offset += take;
      if (this.blockFill === BLOCK_BYTES) this.flushBlock();
    }
  }

  digest(): string {
    if (this.blockFill > 0) this.flushBlock();
    return this.overall.digest("hex");
  }

  private flushBlock(): void {
    this.overall.update(this.block.digest());
    this.block = createHash("sha256");
    this.blockFill = 0;
  }
}
