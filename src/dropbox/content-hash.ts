import { createHash, type Hash } from "node:crypto";
import { sha256InWorker } from "../crypto/sha256-worker.js";

const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * Dropbox's content_hash, computed incrementally: SHA-256 of each 4 MiB block, then SHA-256 of
 * the concatenated block digests (hex). Lets us verify what Dropbox stored against what we sent.
 *
 * Whole blocks in shared memory (upload chunks are) are hashed on a worker thread: hashing on
 * the event loop took a third of its time during an upload, time it could not spend moving
 * bytes. Other data, and a block split across update() calls, is hashed on the event loop.
 */
export class DropboxContentHasher {
  private readonly blocks: Promise<Uint8Array>[] = [];
  private partial: Hash | null = null;
  private partialFill = 0;

  /**
   * Adds `data`. Settles once its whole blocks are hashed; until then, data in shared memory
   * must stay unchanged (it is read in place).
   */
  update(data: Uint8Array): Promise<void> {
    const shared = data.buffer instanceof SharedArrayBuffer;
    const hashing: Promise<Uint8Array>[] = [];
    let offset = 0;
    while (offset < data.length) {
      if (shared && this.partialFill === 0 && data.length - offset >= BLOCK_BYTES) {
        const block = sha256InWorker(data.subarray(offset, offset + BLOCK_BYTES));
        this.blocks.push(block);
        hashing.push(block);
        offset += BLOCK_BYTES;
        continue;
      }
      const take = Math.min(BLOCK_BYTES - this.partialFill, data.length - offset);
      (this.partial ??= createHash("sha256")).update(data.subarray(offset, offset + take));
      this.partialFill += take;
      offset += take;
      if (this.partialFill === BLOCK_BYTES) this.closePartial();
    }
    return Promise.all(hashing).then(() => undefined);
  }

  async digest(): Promise<string> {
    if (this.partialFill > 0) this.closePartial();
    const overall = createHash("sha256");
    for (const block of await Promise.all(this.blocks)) overall.update(block);
    return overall.digest("hex");
  }

  private closePartial(): void {
    this.blocks.push(Promise.resolve(this.partial!.digest()));
    this.partial = null;
    this.partialFill = 0;
  }
}
