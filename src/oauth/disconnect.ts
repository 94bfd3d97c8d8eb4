import type { Services } from "../context.js";
import type { IntegrationLoader } from "./integration-loader.js";
import type { ProviderId } from "./provider.js";
import { PROVIDER_NAMES, ProviderUnavailableError, ReconnectRequiredError } from "./errors.js";
import { ProviderHttpError } from "./provider-http-error.js";
import { recordEvent } from "./audit.js";

export interface DisconnectOutcome {
  /** True when the provider confirmed the grant is gone (or it was already dead there). */
  revoked: boolean;
  /** False when there was nothing to disconnect. */
  wasConnected: boolean;
  message: string;
}

/**
 * Revokes the grant at the provider where it can (refreshing first if the access token has
 * expired), then forgets the tokens and account whatever the provider said. User settings such
 * as the export path are kept. Safe to call again.
 */
export async function disconnectIntegration(
  services: Services,
  loader: IntegrationLoader,
  userId: string,
  providerId: ProviderId,
  /** Who asked: the user themselves or an admin. */
  actorId: string,
): Promise<DisconnectOutcome> {
  const name = PROVIDER_NAMES[providerId];
  const row = await loader.integration(userId, providerId);
  if (!row || (row.status === "DISCONNECTED" && !row.accessTokenEnc && !row.refreshTokenEnc)) {
    return { revoked: false, wasConnected: false, message: `${name} was not connected` };
  }
  const provider = services.providers[providerId];
  let revoked = false;
  let failure: string | null = null;
  if (row.status === "RECONNECT_REQUIRED") {
    revoked = true; // the provider already refused the grant
  } else if (!provider) {
    failure = `${name} is not configured on this server, so access could not be revoked there`;
  } else if (provider.revoke) {
    try {
      await loader.withAccessToken(userId, providerId, (token) => provider.revoke!(token));
      revoked = true;
    } catch (error) {
      if (error instanceof ReconnectRequiredError || (error instanceof ProviderHttpError && error.status === 401)) {
        revoked = true;
      } else {
        const reason =
          error instanceof ProviderUnavailableError ? "it could not be reached" : "it answered with an error";
        failure = `${name} could not confirm the revocation (${reason}); remove the app in your ${name} account settings if it is still listed`;
      }
    }
  }
  const byAdmin = actorId !== userId;
  await services.prisma.$transaction(async (tx) => {
    await tx.integration.update({
      where: { id: row.id },
      data: {
        status: "DISCONNECTED",
        accountId: null,
        accountName: null,
        scopes: [],
        accessTokenEnc: null,
        refreshTokenEnc: null,
        accessTokenExpiresAt: null,
        lastError: failure,
        tokenVersion: { increment: 1 },
        refreshLeaseUntil: null,
        refreshLeaseOwner: null,
      },
    });
    if (failure) {
      await recordEvent(tx, {
        userId,
        provider: providerId,
        type: "REVOCATION_FAILED",
        actorId,
        outcome: "failure",
        detail: failure,
      });
    }
    await recordEvent(tx, {
      userId,
      provider: providerId,
      type: "DISCONNECTED",
      actorId,
      outcome: "success",
      detail: `${byAdmin ? "Disconnected by an administrator" : "Disconnected by the user"}${revoked ? "; access revoked" : ""}`,
    });
  });
  loader.clear(userId, providerId);
  if (failure) services.logger.warn({ userId, provider: providerId }, "disconnected without confirmed revocation");
  else services.logger.info({ userId, provider: providerId, revoked }, "integration disconnected");
  const message =
    provider && !provider.revoke
      ? `${name} disconnected. ${name} has no way for apps to revoke access: remove the app in your ${name} account settings`
      : (failure ?? `${name} disconnected and access revoked`);
  return { revoked, wasConnected: true, message };
}
