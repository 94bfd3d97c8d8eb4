import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DropboxContentHasher } from "../src/dropbox/content-hash.js";
// The emulated Dropbox's own content_hash, written independently of the server's hasher.
import { contentHashOf } from "../src/emulator/dropbox/files/content-hash.js";

const MiB = 1024 * 1024;

function inSharedMemory(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

async function hashInPieces(bytes: Uint8Array, sizes: number[]): Promise<string> {
  const hasher = new DropboxContentHasher();
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    await hasher.update(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return hasher.digest();
}

describe("DropboxContentHasher", () => {
  const bytes = randomBytes(13 * MiB + 12345);

  it("hashes an empty file like Dropbox (SHA-256 of nothing)", async () => {
    expect(await new DropboxContentHasher().digest()).toBe(createHash("sha256").digest("hex"));
  });

  it.each([
    ["one update", [bytes.length]],
    ["whole 8 MiB chunks, as uploads send them", [8 * MiB]],
    ["exactly one block per update", [4 * MiB]],
    ["pieces that straddle block boundaries", [3 * MiB + 7, 5 * MiB - 3]],
    ["a misaligned start followed by whole blocks", [1000, 8 * MiB]],
    ["64 KiB socket-sized pieces", [64 * 1024]],
  ])("gives Dropbox's hash whatever the split: %s", async (_name, sizes) => {
    // Shared memory goes to the worker thread, ordinary buffers are hashed on the event loop.
    expect(await hashInPieces(bytes, sizes)).toBe(contentHashOf(bytes));
    expect(await hashInPieces(inSharedMemory(bytes), sizes)).toBe(contentHashOf(bytes));
  });

  it("has read shared memory by the time update settles, so the caller may then reuse it", async () => {
    const chunk = inSharedMemory(bytes.subarray(0, 8 * MiB));
    const hasher = new DropboxContentHasher();
    await hasher.update(chunk);
    const expected = contentHashOf(chunk);
    chunk.fill(0);
    expect(await hasher.digest()).toBe(expected);
  });

  it("hashes many blocks at once without mixing up their order", async () => {
    const shared = inSharedMemory(bytes);
    const hashers = [new DropboxContentHasher(), new DropboxContentHasher()];
    await Promise.all([
      hashers[0]!.update(shared.subarray(0, 12 * MiB)),
      hashers[1]!.update(shared.subarray(4 * MiB, 12 * MiB)),
    ]);
    expect(await hashers[0]!.digest()).toBe(contentHashOf(bytes.subarray(0, 12 * MiB)));
    expect(await hashers[1]!.digest()).toBe(contentHashOf(bytes.subarray(4 * MiB, 12 * MiB)));
  });
});
