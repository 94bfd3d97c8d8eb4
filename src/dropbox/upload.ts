import type { Readable } from "node:stream";
import { ProviderUnavailableError } from "../oauth/errors.js";
import { DropboxApiError } from "./api.js";
import { dropboxContent, type DropboxContentHttp } from "./content-api.js";
import { readChunks } from "./chunk-reader.js";
import { DropboxContentHasher } from "./content-hash.js";

export interface UploadTarget {
  path: string;
  mode: "add" | "overwrite";
  autorename: boolean;
}

export interface UploadDeps {
  http: DropboxContentHttp;
  /** Runs a call with a valid access token (refreshing as needed, retrying once if Dropbox refuses the token). */
  withToken<T>(call: (accessToken: string) => Promise<T>): Promise<T>;
  /** Bytes per upload-session request: a multiple of 4 MiB. */
  chunkBytes: number;
  /** Bytes Dropbox has confirmed, after each request of an upload session (a one-request upload's result is its progress). */
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
 * the others, finish). Retries transient failures with backoff, resumes from the offset Dropbox
 * reports after incorrect_offset, honours Retry-After, and checks Dropbox's content_hash against
 * the bytes sent.
 */
export async function uploadStream(source: Readable, target: UploadTarget, deps: UploadDeps): Promise<UploadedFile> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = deps.maxAttempts ?? 5;
  const maxRetryAfter = deps.maxRetryAfterSeconds ?? 60;
  const hasher = new DropboxContentHasher();
  const commit = {
    path: target.path,
    mode: target.mode,
    autorename: target.autorename,
    mute: true,
    strict_conflict: false,
  };

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

  const chunks = readChunks(source, deps.chunkBytes);
  try {
    let next = await chunks.next();

    // readChunks returns a short chunk only at the end of the file: a file that ends within the
    // first chunk takes one request. A full first chunk starts a session at once, before knowing
    // whether more follows (a file of exactly one chunk then finishes the session empty).
    if (next === null || next.length < deps.chunkBytes) {
      const whole = next ?? new Uint8Array(0);
      const [, metadata] = await Promise.all([
        hasher.update(whole),
        send((t) => dropboxContent<FileMetadata>(deps.http, "files/upload", t, commit, whole)),
      ]);
      return verified(metadata!, await hasher.digest(), whole.length);
    }

    let sessionId: string | null = null;
    let offset = 0;
    while (next !== null) {
      const chunk: Uint8Array = next;
      // Read the next chunk from the client while this one goes to Dropbox: otherwise the two
      // transfers take turns and the upload runs at well under half the slower one's speed.
      const reading = chunks.next();
      // If the send below fails, `reading` is never awaited; its own failure no longer matters then.
      reading.catch(() => undefined);
      const hashing = hasher.update(chunk);
      if (sessionId === null) [, sessionId] = await Promise.all([hashing, startSession(chunk)]);
      else await Promise.all([hashing, append(sessionId, offset, chunk)]);
      offset += chunk.length;
      await deps.onProgress?.(offset);
      next = await reading;
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
  } finally {
    chunks.stop();
  }

  async function startSession(chunk: Uint8Array): Promise<string> {
    const started = await send((t) =>
      dropboxContent<{ session_id: string }>(deps.http, "files/upload_session/start", t, { close: false }, chunk),
    );
    return started!.session_id;
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
