import { Worker } from "node:worker_threads";

/**
 * SHA-256 on a worker thread for bytes in shared memory: the worker reads them where they are,
 * so the event loop pays neither for hashing nor for a copy. One worker is enough (it hashes
 * faster than a network delivers); it starts on first use and never keeps the process alive.
 */

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and node.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
parentPort.on("message", ({ id, bytes }) => {
  parentPort.postMessage({ id, digest: createHash("sha256").update(bytes).digest() });
});
`;

interface Pending {
  resolve(digest: Uint8Array): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, { eval: true });
  started.on("message", ({ id, digest }: { id: number; digest: Uint8Array }) => {
    const job = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref();
    job?.resolve(digest);
  });
  const fail = (error: Error) => {
    if (worker === started) worker = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on("error", fail);
  started.on("exit", (code) => fail(new Error(`SHA-256 worker exited with code ${code}`)));
  return started;
}

/**
 * SHA-256 of `bytes`, a view of a SharedArrayBuffer. The caller must leave those bytes unchanged
 * until the promise settles.
 */
export function sha256InWorker(bytes: Uint8Array): Promise<Uint8Array> {
  if (!(bytes.buffer instanceof SharedArrayBuffer))
    throw new TypeError("sha256InWorker needs bytes in a SharedArrayBuffer");
  const current = (worker ??= startWorker());
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // Referenced while a job is out, so a digest still owed is waited for.
    current.ref();
    current.postMessage({ id, bytes });
  });
}
