import { randomUUID } from "node:crypto";
import type { IncomingFile } from "../dropbox/exports.js";

/**
 * Files of a multipart request in flight, keyed by an unguessable id. The multipart front puts
 * `{ "__streamingUpload": id }` where the file goes in the variables; the File scalar swaps it
 * back for the live stream, so the bytes never have to be buffered before the resolver runs.
 */
const pending = new Map<string, IncomingFile>();

export const STREAMING_UPLOAD_KEY = "__streamingUpload";

export function registerUpload(file: IncomingFile): { id: string; release(): void } {
  const id = randomUUID();
  pending.set(id, file);
  return { id, release: () => pending.delete(id) };
}

export function takeUpload(value: unknown): IncomingFile | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as Record<string, unknown>)[STREAMING_UPLOAD_KEY];
  if (typeof id !== "string") return undefined;
  const file = pending.get(id);
  pending.delete(id);
  return file;
}
