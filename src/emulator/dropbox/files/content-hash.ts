import { createHash, type Hash } from "node:crypto";

/** Dropbox hashes content in 4 MiB blocks. */
export const BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Dropbox's content_hash, computed incrementally: SHA-256 of each 4 MiB block, then
 * SHA-256 of the concatenated block digests, in hex. Holds one block's hash state and
 * 32 bytes per finished block, never the content itself.
 */
export class ContentHasher {
  private constructor(
    private readonly finished: Buffer[],
    private block: Hash,
    private blockBytes: number,
    private total: number,
  ) {}

  static create(): ContentHasher {
    return new ContentHasher([], createHash("sha256"), 0, 0);
  }

  get size(): number {
    return this.total;
  }

  update(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(BLOCK_SIZE - this.blockBytes, data.length - offset);
      this.block.update(data.subarray(offset, offset + take));
      this.blockBytes += take;
      offset += take;
      if (this.blockBytes === BLOCK_SIZE) {
        this.finished.push(this.block.digest());
        this.block = createHash("sha256");
        this.blockBytes = 0;
      }
    }
    this.total += data.length;
  }

  /** An independent copy, so a request can hash into it and be discarded if it fails. */
  clone(): ContentHasher {
    return new ContentHasher([...this.finished], this.block.copy(), this.blockBytes, this.total);
  }

  /** Digests of all blocks so far, the partial last block included. */
  blockDigests(): Buffer[] {
    return this.blockBytes > 0 ? [...this.finished, this.block.copy().digest()] : [...this.finished];
  }

  hex(): string {
    return combineBlockDigests(this.blockDigests());
  }
}

export function combineBlockDigests(digests: readonly Buffer[]): string {
  const hash = createHash("sha256");
  for (const digest of digests) hash.update(digest);
  return hash.digest("hex");
}

export function contentHashOf(data: Uint8Array): string {
  const hasher = ContentHasher.create();
  hasher.update(data);
  return hasher.hex();
}
