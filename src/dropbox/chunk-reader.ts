import type { Readable } from "node:stream";

/** The client's request ended before the whole file arrived. */
export class UploadInterruptedError extends Error {
  override name = "UploadInterruptedError";
}

export interface ChunkReader {
  /**
   * The next chunk: exactly `size` bytes, fewer for the last one, null after it. Calling next()
   * hands back the chunk returned two calls earlier (its buffer is then refilled); the chunk
   * returned last stays intact, so a caller can send one chunk while the next is read. Fails
   * with UploadInterruptedError if the stream fails. One call at a time.
   */
  next(): Promise<Uint8Array | null>;
  /** Stops reading: the stream is left to whoever drains it. */
  stop(): void;
}

/**
 * Regroups a byte stream into chunks of `size` bytes in two buffers allocated once (a fresh
 * buffer per chunk costs a page-faulting allocation and, over a 1 GiB upload, garbage enough to
 * keep the collector busy). Pieces are copied as their 'data' events arrive: an async iterator
 * would cost a promise and a microtask hop per 64 KiB piece, a sixth of the event loop's time
 * during an export. The stream is paused while both buffers are taken. The buffers are shared
 * memory so that the content hash can be computed on a worker thread without copying them.
 */
export function readChunks(stream: Readable, size: number): ChunkReader {
  const free: Buffer[] = [];
  let allocated = 0;
  const ready: Buffer[] = [];
  const lent: Buffer[] = [];
  let current: Buffer | null = null;
  let filled = 0;
  /** The rest of a piece that arrived while no buffer was free. */
  let leftover: Uint8Array | null = null;
  let streamEnded = false;
  /** The stream has ended and every byte of it is in `ready`. */
  let complete = false;
  let failure: Error | null = null;
  let waiter: { resolve(chunk: Uint8Array | null): void; reject(error: Error): void } | null = null;

  const bufferToFill = (): Buffer | null => {
    if (free.length > 0) return free.pop()!;
    // The second buffer only once the file turns out to need it: small files cost one.
    if (allocated < 2) {
      allocated++;
      return Buffer.from(new SharedArrayBuffer(size));
    }
    return null;
  };

  /** Copies what fits; returns the part of `piece` that found no free buffer. */
  const take = (piece: Uint8Array): Uint8Array | null => {
    let offset = 0;
    while (offset < piece.length) {
      current ??= bufferToFill();
      if (!current) return piece.subarray(offset);
      const count = Math.min(size - filled, piece.length - offset);
      // Buffer#fill with a buffer of the fill's length is a plain memcpy; TypedArray#set into
      // shared memory takes V8's word-by-word path, which cost twice the CPU here.
      current.fill(piece.subarray(offset, offset + count), filled, filled + count);
      filled += count;
      offset += count;
      if (filled === size) {
        ready.push(current);
        current = null;
        filled = 0;
      }
    }
    return null;
  };

  const settle = () => {
    if (streamEnded && !leftover && !complete) {
      complete = true;
      if (current && filled > 0) ready.push(current.subarray(0, filled));
    }
    if (!waiter) return;
    const { resolve, reject } = waiter;
    if (failure) {
      waiter = null;
      reject(failure);
    } else if (ready.length > 0) {
      waiter = null;
      const chunk = ready.shift()!;
      lent.push(chunk);
      resolve(chunk);
    } else if (complete) {
      waiter = null;
      resolve(null);
    }
  };

  const onData = (piece: Uint8Array) => {
    leftover = take(piece);
    if (leftover) stream.pause();
    settle();
  };
  const onEnd = () => {
    streamEnded = true;
    settle();
  };
  const onError = (error: Error) => {
    failure ??= error instanceof UploadInterruptedError ? error : new UploadInterruptedError(error.message);
    settle();
  };
  // Destroyed without an error (and so without 'end'): the file did not arrive whole either.
  const onClose = () => {
    if (!streamEnded) onError(new UploadInterruptedError("the file stream closed before its end"));
  };
  stream.on("data", onData);
  stream.once("end", onEnd);
  // These stay after stop(): a stream that fails later (the client going away) must not crash us.
  stream.once("error", onError);
  stream.once("close", onClose);

  return {
    next() {
      // All but the chunk returned last are the caller's no longer (a short chunk is the last one
      // of all, so what comes back here is always a whole buffer).
      while (lent.length > 1) free.push(lent.shift()!);
      if (leftover && free.length > 0) {
        leftover = take(leftover);
        if (!leftover && !streamEnded) stream.resume();
      }
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
        settle();
      });
    },
    stop() {
      stream.off("data", onData);
      stream.off("end", onEnd);
    },
  };
}
