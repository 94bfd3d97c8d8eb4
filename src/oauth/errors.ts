import { UserFacingError } from "../schema/errors.js";
import type { ProviderId } from "./provider.js";

export const PROVIDER_NAMES: Record<ProviderId, string> = { DROPBOX: "Dropbox", SPOTIFY: "Spotify" };

export class ProviderNotConfiguredError extends UserFacingError {
  readonly code = "PROVIDER_NOT_CONFIGURED";
  constructor(readonly provider: ProviderId) {
    super(`${PROVIDER_NAMES[provider]} is not configured on this server`);
  }
}

export class NotConnectedError extends UserFacingError {
  readonly code = "NOT_CONNECTED";
  constructor(readonly provider: ProviderId) {
    super(`${PROVIDER_NAMES[provider]} is not connected: connect it first`);
  }
}

/** The provider no longer honours our grant (revoked or expired): only the user can fix it. */
export class ReconnectRequiredError extends UserFacingError {
  readonly code = "RECONNECT_REQUIRED";
  constructor(readonly provider: ProviderId) {
    super(`${PROVIDER_NAMES[provider]} access was revoked or has expired: reconnect ${PROVIDER_NAMES[provider]}`);
  }
}

/** The provider could not be reached or failed; nothing was lost and a retry may succeed. */
export class ProviderUnavailableError extends UserFacingError {
  readonly code = "PROVIDER_UNAVAILABLE";
  constructor(
    readonly provider: ProviderId,
    reason: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${PROVIDER_NAMES[provider]} is unavailable right now (${reason}); try again shortly`);
  }
}
