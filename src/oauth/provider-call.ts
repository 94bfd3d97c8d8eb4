import type { ProviderId } from "./provider.js";
import { ProviderUnavailableError } from "./errors.js";
import type { Fetch } from "./openid.js";

/**
 * One provider API call, classified the same way for every provider: network failures,
 * timeouts, 5xx and unparseable answers become a retryable ProviderUnavailableError; a 2xx is
 * parsed as JSON; any other answer is turned into the provider's own error by `toError`.
 */
export async function callProvider<T>(
  provider: ProviderId,
  fetchImpl: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  toError: (response: Response, text: string) => Error,
): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw new ProviderUnavailableError(provider, timedOut ? "request timed out" : "network error");
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderUnavailableError(provider, "malformed response");
    }
  }
  if (response.status >= 500) throw new ProviderUnavailableError(provider, `HTTP ${response.status}`);
  throw toError(response, text);
}

/** Retry-After in seconds, or null when absent or not a number of seconds. */
export function retryAfterSeconds(response: Response): number | null {
  const value = Number(response.headers.get("retry-after") ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : null;
}
