import { ProviderUnavailableError } from "../oauth/errors.js";
import type { Fetch } from "../oauth/openid.js";
import { ProviderHttpError } from "../oauth/provider-http-error.js";

export interface SpotifyHttp {
  apiUrl: string;
  fetch: Fetch;
  timeoutMs: number;
  sleep?(ms: number): Promise<void>;
}

/** Retry-After up to this long is waited out once; longer ones go back to the client. */
export const MAX_INLINE_RETRY_AFTER_SECONDS = 5;

export class SpotifyApiError extends ProviderHttpError {
  override name = "SpotifyApiError";
  constructor(status: number, message: string, retryAfterSeconds: number | null) {
    super("SPOTIFY", status, `Spotify answered ${status}: ${message}`, retryAfterSeconds);
  }
}

/**
 * GET on the Spotify Web API. A 429 is waited out once when Retry-After is short; network
 * failures, timeouts and 5xx become ProviderUnavailableError; other answers SpotifyApiError.
 */
export async function spotifyGet<T>(http: SpotifyHttp, path: string, accessToken: string): Promise<T> {
  const sleep = http.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await http.fetch(`${http.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
        signal: AbortSignal.timeout(http.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new ProviderUnavailableError("SPOTIFY", timedOut ? "request timed out" : "network error");
    }
    const text = await response.text().catch(() => "");
    if (response.ok) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ProviderUnavailableError("SPOTIFY", "malformed response");
      }
    }
    if (response.status >= 500) throw new ProviderUnavailableError("SPOTIFY", `HTTP ${response.status}`);
    const retryAfterHeader = Number(response.headers.get("retry-after"));
    const retryAfter = Number.isFinite(retryAfterHeader) && retryAfterHeader >= 0 ? retryAfterHeader : null;
    if (response.status === 429 && attempt === 1 && retryAfter !== null && retryAfter <= MAX_INLINE_RETRY_AFTER_SECONDS) {
      await sleep(retryAfter * 1000);
      continue;
    }
    throw new SpotifyApiError(response.status, errorMessage(text), response.status === 429 ? (retryAfter ?? 1) : null);
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; error_description?: unknown };
    if (typeof body.error === "object" && typeof body.error?.message === "string") return body.error.message;
    if (typeof body.error === "string") return body.error;
  } catch {
    // not JSON
  }
  return "error";
}
