import type { ProviderId } from "./provider.js";

/**
 * A provider's own error answer to an API call (not a network failure). The status lets the
 * token loader recognise a 401 and retry once with a refreshed token, whatever the provider.
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
}
