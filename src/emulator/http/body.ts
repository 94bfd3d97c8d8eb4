import type { IncomingMessage } from "node:http";

/**
 * Reads a small request body. Over the limit the rest is still read and thrown away
 * (answering before the client finished sending makes many clients report a socket
 * error instead of our answer), and null is returned.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? null : Buffer.concat(chunks);
}

/** Discards whatever is left of the body, so an error answer reaches the client cleanly. */
export function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once("end", resolve);
    req.once("close", resolve);
    req.resume();
  });
}

/** Resolves once the first body bytes arrived (or there are none), to cut a connection mid-body. */
export function firstBodyBytes(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once("data", () => resolve());
    req.once("end", resolve);
    req.once("close", resolve);
  });
}
