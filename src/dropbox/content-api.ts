import { ProviderUnavailableError } from "../oauth/errors.js";
import type { Fetch } from "../oauth/openid.js";
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
  let response: Response;
  try {
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
      // Time allowed grows with the chunk: 10 s plus a floor of 1 MiB/s.
      signal: AbortSignal.timeout(http.timeoutMs + Math.ceil(body.length / 1024)),
    };
    response = await http.fetch(`${http.contentUrl}/2/${endpoint}`, init);
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw new ProviderUnavailableError("DROPBOX", timedOut ? "upload timed out" : "connection lost during upload");
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderUnavailableError("DROPBOX", "malformed response");
    }
  }
  if (response.status >= 500) throw new ProviderUnavailableError("DROPBOX", `HTTP ${response.status}`);
  throw dropboxApiError(response, text);
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}
