import type { Fetch } from "../oauth/openid.js";
import { callProvider, retryAfterSeconds } from "../oauth/provider-call.js";
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
  const get = () =>
    callProvider<T>(
      "SPOTIFY",
      http.fetch,
      `${http.apiUrl}${path}`,
      { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } },
      http.timeoutMs,
      (response, text) => {
        const retryAfter = retryAfterSeconds(response);
        return new SpotifyApiError(response.status, errorMessage(text), response.status === 429 ? (retryAfter ?? 1) : null);
      },
    );
  try {
    return await get();
  } catch (error) {
    const waitSeconds = error instanceof SpotifyApiError && error.status === 429 ? error.retryAfterSeconds : null;
    if (waitSeconds === null || waitSeconds > MAX_INLINE_RETRY_AFTER_SECONDS) throw error;
    await sleep(waitSeconds * 1000);
    return get();
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
