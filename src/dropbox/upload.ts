import { ProviderUnavailableError } from "../oauth/errors.js";
import { DropboxApiError } from "./api.js";
import { dropboxContent, type DropboxContentHttp } from "./content-api.js";
import { DropboxContentHasher } from "./content-hash.js";


export interface UploadTarget {
  path: string;
  mode: "add" | "overwrite";
  autorename: boolean;
}

export interface UploadDeps {
  http: DropboxContentHttp;
  /** Runs a call with a valid access token (refreshing as needed, retrying once after a 401). */
  withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T>;
  /** Bytes per upload-session request: a multiple of 4 MiB. */
  chunkBytes: number;
  onProgress?(bytesSent: number): Promise<void> | void;
  sleep?(ms: number): Promise<void>;
  /** Attempts per request before giving up on 5xx, dropped connections and 429s. */
  maxAttempts?: number;
  /** Longest Retry-After we are willing to wait for, in seconds. */
  maxRetryAfterSeconds?: number;
}

export interface UploadedFile {
  id: string;
  path: string;
  contentHash: string;
  size: number;
}

export class UploadHashMismatchError extends Error {
  override name = "UploadHashMismatchError";
}

interface FileMetadata {
  id: string;
  path_display: string;
  content_hash: string;
  size: number;
}

/**
 * Streams `source` to Dropbox holding at most two chunks in memory (one being sent while the
 * next is read). A file shorter than a chunk is sent with one /2/files/upload; anything else goes
 * through an upload session (started with the first chunk as soon as it is read, append_v2 for
 * the others, finish). Retries transient failures with
 * backoff, resumes from the offset Dropbox reports after incorrect_offset, honours Retry-After,
 * and checks Dropbox's content_hash against the bytes sent.
 */
export async function uploadStream(source: AsyncIterable<Uint8Array>, target: UploadTarget, deps: UploadDeps): Promise<UploadedFile> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = deps.maxAttempts ?? 5;
  const maxRetryAfter = deps.maxRetryAfterSeconds ?? 60;
  const hasher = new DropboxContentHasher();
  const commit = { path: target.path, mode: target.mode, autorename: target.autorename, mute: true, strict_conflict: false };

  /** One Dropbox request with the retry policy above; each attempt asks for a valid token. */
  async function send<T>(
    request: (accessToken: string) => Promise<T>,
    onIncorrectOffset?: (correct: number) => "retry" | "done",
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.withToken(request);
      } catch (error) {
        const correct = incorrectOffset(error);
        if (correct !== null && onIncorrectOffset) {
          if (onIncorrectOffset(correct) === "done") return undefined;
          if (attempt < maxAttempts) continue;
        }
        const rateLimited = error instanceof DropboxApiError && error.status === 429;
        const transient = error instanceof ProviderUnavailableError || rateLimited;
        if (!transient || attempt >= maxAttempts) throw error;
        const retryAfter = rateLimited ? ((error as DropboxApiError).retryAfterSeconds ?? 1) : null;
        if (retryAfter !== null && retryAfter > maxRetryAfter) {
          throw new ProviderUnavailableError("DROPBOX", "rate limited", retryAfter);
        }
        await sleep(retryAfter !== null ? retryAfter * 1000 : Math.min(250 * 2 ** (attempt - 1), 8000));
      }
    }
  }

  const chunks = readChunks(source, deps.chunkBytes)[Symbol.asyncIterator]();
  let next = await chunks.next();

  // readChunks yields a short chunk only at the end of the file: a file that ends within the
  // first chunk takes one request. A full first chunk starts a session at once, before knowing
  // whether more follows (a file of exactly one chunk then finishes the session empty).
  if (next.done || next.value.length < deps.chunkBytes) {
    const whole = next.done ? new Uint8Array(0) : next.value;
    const [, metadata] = await Promise.all([
      hasher.update(whole),
      send((t) => dropboxContent<FileMetadata>(deps.http, "files/upload", t, commit, whole)),
    ]);
    await deps.onProgress?.(whole.length);
    return verified(metadata!, await hasher.digest(), whole.length);
  }

  let sessionId: string | null = null;
  let offset = 0;
  while (!next.done) {
    const chunk = next.value;
    // Read the next chunk from the client while this one goes to Dropbox: otherwise the two
    // transfers take turns and the upload runs at well under half the slower one's speed.
    const reading = chunks.next();
    // If the send below fails, `reading` is never awaited; its own failure no longer matters then.
    reading.catch(() => undefined);
    const hashing = hasher.update(chunk);
    const sending = sessionId === null ? startSession(chunk) : append(sessionId, offset, chunk);
    await Promise.all([hashing, sending]);
    offset += chunk.length;
    await deps.onProgress?.(offset);
    next = await reading;
  }

  async function startSession(chunk: Uint8Array): Promise<void> {
    const started = await send((t) =>
      dropboxContent<{ session_id: string }>(deps.http, "files/upload_session/start", t, { close: false }, chunk),
    );
    sessionId = started!.session_id;
  }

  async function append(session: string, chunkStart: number, chunk: Uint8Array): Promise<void> {
    let confirmed = 0;
    await send(
      (t) =>
        dropboxContent<unknown>(
          deps.http,
          "files/upload_session/append_v2",
          t,
          { cursor: { session_id: session, offset: chunkStart + confirmed }, close: false },
          chunk.subarray(confirmed),
        ),
      (correct) => {
        // Dropbox kept part (or all) of an attempt that looked failed: resume from where it is.
        if (correct < chunkStart || correct > chunkStart + chunk.length) {
          throw new ProviderUnavailableError("DROPBOX", "upload session out of sync");
        }
        confirmed = correct - chunkStart;
        return confirmed === chunk.length ? "done" : "retry";
      },
    );
  }

  const metadata = (await send((t) =>
    dropboxContent<FileMetadata>(
      deps.http,
      "files/upload_session/finish",
      t,
      { cursor: { session_id: sessionId, offset }, commit },
      new Uint8Array(0),
    ),
  ))!;
  return verified(metadata, await hasher.digest(), offset);
}

function verified(metadata: FileMetadata, expectedHash: string, size: number): UploadedFile {
  if (metadata.content_hash !== expectedHash) {
    throw new UploadHashMismatchError("Dropbox stored different bytes than were sent (content_hash mismatch)");
  }
  return { id: metadata.id, path: metadata.path_display, contentHash: metadata.content_hash, size };
}

function incorrectOffset(error: unknown): number | null {
  if (!(error instanceof DropboxApiError) || !error.summary.includes("incorrect_offset")) return null;
  const detail = error.detail as { correct_offset?: unknown; lookup_failed?: { correct_offset?: unknown } } | undefined;
  const value = detail?.correct_offset ?? detail?.lookup_failed?.correct_offset;
  return typeof value === "number" ? value : null;
}

/**
 * Regroups a byte stream into chunks of exactly `size` bytes (the last may be shorter). The
 * chunks take turns in two buffers allocated once: a fresh buffer per chunk costs a page-faulting
 * allocation and, over a 1 GiB upload, enough garbage to keep the collector busy. So a chunk stays
 * intact while the next one is read (uploadStream sends and hashes one while reading the next),
 * and is overwritten by the one after that. The buffers are shared memory so that the content
 * hash can be computed on a worker thread without copying them.
 */
export async function* readChunks(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  const allocate = () => Buffer.from(new SharedArrayBuffer(size));
  let buffer: Buffer = allocate();
  const buffers: Buffer[] = [buffer];
  let turn = 0;
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset);
      // Buffer#fill with a buffer of the fill's length is a plain memcpy; TypedArray#set into
      // shared memory takes V8's word-by-word path, which cost twice the CPU here.
      buffer.fill(piece.subarray(offset, offset + take), filled, filled + take);
      filled += take;
      offset += take;
      if (filled === size) {
        yield buffer;
        turn ^= 1;
        // The second buffer only once the file turns out to need it: small files cost one.
        buffer = buffers[turn] ??= allocate();
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
