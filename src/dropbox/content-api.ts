import type { Fetch } from "../oauth/openid.js";
import { callProvider } from "../oauth/provider-call.js";
import { dropboxApiError } from "./api.js";

export interface DropboxContentHttp {
  contentUrl: string;
  fetch: Fetch;
  timeoutMs: number;
}

/** Dropbox-API-Arg must be header-safe: non-ASCII characters are sent as \uXXXX escapes. */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Calls a Dropbox content-upload endpoint with arguments in the Dropbox-API-Arg header and the
 * bytes as the body. Failures are classified like dropboxRpc's: DropboxApiError for Dropbox's own
 * answers (401, 409, 429, 400), ProviderUnavailableError for network, timeouts and 5xx.
 */
export async function dropboxContent<T>(
  http: DropboxContentHttp,
  endpoint: string,
  accessToken: string,
  arg: unknown,
  body: Uint8Array,
): Promise<T> {
  const init: RequestInit & { duplex: "half" } = {
    method: "POST",
    headers: {
      authorization: `Bearer ${accessToken}`,
      "content-type": "application/octet-stream",
      "dropbox-api-arg": headerSafeJson(arg),
      // Declared, so the streamed body below still goes out with a length rather than chunked.
      "content-length": String(body.length),
    },
    // fetch (undici) copies a Uint8Array body before sending it, while a stream's chunks go to
    // the socket as they are: per 8 MiB chunk, one copy and 8 MiB of garbage fewer.
    body: streamOf(body),
    duplex: "half",
  };
  // Time allowed grows with the chunk: the base timeout plus a floor of 1 MiB/s.
  const timeoutMs = http.timeoutMs + Math.ceil(body.length / 1024);
  return callProvider<T>("DROPBOX", http.fetch, `${http.contentUrl}/2/${endpoint}`, init, timeoutMs, dropboxApiError);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}
