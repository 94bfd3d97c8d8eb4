import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readChunks, UploadInterruptedError } from "../src/dropbox/chunk-reader.js";

const KiB = 1024;

/** A stream that delivers `bytes` in pieces of the given sizes (cycled), like a socket would. */
function piecesOf(bytes: Buffer, sizes: number[]): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return Readable.from(pieces, { objectMode: false });
}

async function collect(stream: Readable, size: number): Promise<Buffer[]> {
  const reader = readChunks(stream, size);
  const chunks: Buffer[] = [];
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) chunks.push(Buffer.from(chunk));
  return chunks;
}

describe("readChunks", () => {
  it.each([
    ["pieces smaller than a chunk", [7 * KiB]],
    ["pieces larger than a chunk", [100 * KiB]],
    ["pieces of mixed sizes", [1, 64 * KiB, 13 * KiB + 5]],
  ])("regroups %s into whole chunks and a short last one", async (_name, sizes) => {
    const bytes = randomBytes(5 * 32 * KiB + 1234);
    const chunks = await collect(piecesOf(bytes, sizes), 32 * KiB);
    expect(chunks.map((c) => c.length)).toEqual([32 * KiB, 32 * KiB, 32 * KiB, 32 * KiB, 32 * KiB, 1234]);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it("ends with exactly one chunk when the file is exactly one chunk, and with none when it is empty", async () => {
    const bytes = randomBytes(32 * KiB);
    expect((await collect(piecesOf(bytes, [10 * KiB]), 32 * KiB)).map((c) => c.length)).toEqual([32 * KiB]);
    expect(await collect(Readable.from([], { objectMode: false }), 32 * KiB)).toEqual([]);
  });

  it("keeps the last chunk intact while the next is read, and reuses a buffer only once it is handed back", async () => {
    const bytes = randomBytes(6 * 32 * KiB);
    const reader = readChunks(piecesOf(bytes, [5 * KiB]), 32 * KiB);
    const first = (await reader.next())!;
    const firstCopy = Buffer.from(first);
    const second = (await reader.next())!;
    // Reading the second chunk did not touch the first: a caller sends one while reading the next.
    expect(Buffer.from(first).equals(firstCopy)).toBe(true);
    expect(second.buffer).not.toBe(first.buffer);
    const third = (await reader.next())!;
    // The first chunk's buffer was handed back by that call and now holds the third.
    expect(third.buffer).toBe(first.buffer);
    expect(Buffer.from(third).equals(bytes.subarray(64 * KiB, 96 * KiB))).toBe(true);
    expect(Buffer.from(second).equals(bytes.subarray(32 * KiB, 64 * KiB))).toBe(true);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("pauses the stream while both buffers are taken and resumes it when one is handed back", async () => {
    const stream = new PassThrough();
    const reader = readChunks(stream, 16 * KiB);
    stream.write(randomBytes(40 * KiB));
    const first = await reader.next();
    expect(first).not.toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    // 16 KiB lent, 16 KiB ready, 8 KiB waiting for a buffer: the source must stop.
    expect(stream.isPaused()).toBe(true);
    await reader.next();
    expect(stream.isPaused()).toBe(true);
    const third = reader.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.isPaused()).toBe(false);
    stream.end();
    expect((await third)!.length).toBe(8 * KiB);
    expect(await reader.next()).toBeNull();
  });

  it("fails with UploadInterruptedError when the stream fails or is destroyed before its end", async () => {
    const failing = new PassThrough();
    const reader = readChunks(failing, 16 * KiB);
    failing.write(randomBytes(20 * KiB));
    expect((await reader.next())!.length).toBe(16 * KiB);
    failing.destroy(new Error("Unexpected end of form"));
    await expect(reader.next()).rejects.toThrow(UploadInterruptedError);

    const closed = new PassThrough();
    const closedReader = readChunks(closed, 16 * KiB);
    closed.write(randomBytes(4 * KiB));
    closed.destroy();
    await expect(closedReader.next()).rejects.toThrow(/closed before its end/);
  });

  it("lets go of the stream on stop(), so it can be drained, and survives a later failure", async () => {
    const stream = new PassThrough();
    const reader = readChunks(stream, 16 * KiB);
    stream.write(randomBytes(40 * KiB));
    await reader.next();
    reader.stop();
    expect(stream.listenerCount("data")).toBe(0);
    stream.resume();
    stream.end(randomBytes(100 * KiB));
    await new Promise((resolve) => stream.once("end", resolve));
    expect(stream.readableEnded).toBe(true);
    const late = new PassThrough();
    readChunks(late, 16 * KiB).stop();
    // Its error listener stays: without one, this destroy would be an uncaught error.
    expect(late.listenerCount("error")).toBe(1);
    late.destroy(new Error("client went away"));
    await new Promise((resolve) => late.once("close", resolve));
    expect(late.errored?.message).toBe("client went away");
  });
});
