import type { ProviderId } from "./provider.js";

/**
 * A provider's own error answer to an API call (not a network failure). `tokenRejected` lets the
 * token loader retry once with a refreshed token, whatever the provider.
 */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly status: number,
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }

  /** The access token itself was refused (a 401), so a refreshed one may succeed. */
  get tokenRejected(): boolean {
    return this.status === 401;
  }
}
