import type { IncomingMessage } from "node:http";
import { ContentHasher } from "./content-hash.js";

/**
 * Where uploaded bytes go: always into the content hash, and into memory only while
 * the file stays small enough to keep for tests to read back.
 */
export class ContentSink {
  private constructor(
    readonly hasher: ContentHasher,
    private kept: Buffer[] | null,
    private keptBytes: number,
    private readonly keepUpTo: number,
  ) {}

  static create(keepUpTo: number): ContentSink {
    return new ContentSink(ContentHasher.create(), [], 0, keepUpTo);
  }

  get size(): number {
    return this.hasher.size;
  }

  write(chunk: Buffer): void {
    this.hasher.update(chunk);
    if (this.kept === null) return;
    this.keptBytes += chunk.length;
    if (this.keptBytes > this.keepUpTo) this.kept = null;
    else this.kept.push(chunk);
  }

  /** A copy to write a request into, adopted only if the whole request succeeds. */
  clone(): ContentSink {
    return new ContentSink(this.hasher.clone(), this.kept && [...this.kept], this.keptBytes, this.keepUpTo);
  }

  /** The bytes, or null once the content outgrew keepUpTo. */
  content(): Buffer | null {
    return this.kept && Buffer.concat(this.kept);
  }
}

export interface Received {
  size: number;
  /** Over the per-request cap: the body was read to the end but not written to the sink. */
  tooLarge: boolean;
  /** content_hash of just this request's bytes, when asked for (it costs a second hash pass). */
  chunkHash: string | null;
}

/**
 * Streams a request body into the sink without buffering it. If the client disconnects
 * the iteration throws, so callers never adopt a partially received chunk.
 */
export async function receiveBody(
  req: IncomingMessage,
  maxBytes: number,
  sink: ContentSink,
  hashChunk: boolean,
): Promise<Received> {
  const chunkHasher = hashChunk ? ContentHasher.create() : null;
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) continue; // keep reading so the client gets our answer, not a reset
    sink.write(chunk);
    chunkHasher?.update(chunk);
  }
  return { size, tooLarge: size > maxBytes, chunkHash: chunkHasher?.hex() ?? null };
}
