import { randomUUID } from "node:crypto";
import * as client from "openid-client";
import type { PrismaClient } from "../db/database.js";
import type { Integration, Prisma } from "../generated/prisma/client.js";
import { TokenDecryptionError, type TokenCipher } from "../crypto/token-cipher.js";
import type { Logger } from "../logger.js";
import type { OAuthProvider, ProviderId } from "./provider.js";
import {
  NotConnectedError,
  PROVIDER_NAMES,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
  ReconnectRequiredError,
} from "./errors.js";
import { oauthErrorCode } from "./openid.js";
import { openAccessToken, openRefreshToken, sealAccessToken, sealRefreshToken } from "./token-store.js";
import { recordEvent, type AuditEvent } from "./audit.js";

/** Tokens expiring within this window are refreshed before use. */
export const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** Tokens that expire before this moment, or at an unknown time, are refreshed before use. */
export const refreshDeadline = (now: Date) => new Date(now.getTime() + REFRESH_WINDOW_MS);

export const refreshDue = (expiresAt: Date | null, now: Date) => expiresAt === null || expiresAt <= refreshDeadline(now);

export interface TokenRefresherDeps {
  prisma: PrismaClient;
  cipher: TokenCipher;
  providers: Partial<Record<ProviderId, OAuthProvider>>;
  logger: Logger;
  now: () => Date;
  /** How long a refresh lease blocks other instances; longer than a provider call can take. */
  leaseMs?: number;
  pollMs?: number;
}

export interface TokenRefresher {
  /** A usable access token for the integration, refreshed first when it is about to expire. */
  accessToken(row: Integration, options?: { force?: boolean }): Promise<string>;
}

/**
 * Refreshes so that each token is refreshed once, however many callers need it at once:
 * within this process callers share one promise; across instances a lease row-column taken
 * with a compare-and-set UPDATE decides which instance calls the provider, and the others wait
 * for the token version to change and read the fresh token. No transaction stays open across
 * the provider call, so embedded mode (one connection) is never blocked by it.
 */
export function createTokenRefresher(deps: TokenRefresherDeps): TokenRefresher {
  const { prisma, cipher, logger, now } = deps;
  const leaseMs = deps.leaseMs ?? 30_000;
  // Waiting instances re-read the row at this pace; faster would crowd the connection pool.
  const pollMs = deps.pollMs ?? 100;
  const inFlight = new Map<string, Promise<string>>();

  function usable(row: Integration): void {
    if (row.status === "RECONNECT_REQUIRED") throw new ReconnectRequiredError(row.provider);
    if (row.status !== "CONNECTED" || !row.accessTokenEnc) throw new NotConnectedError(row.provider);
  }

  async function refreshWithLease(
    id: string,
    provider: ProviderId,
    observedVersion: number,
    force: boolean,
  ): Promise<string> {
    const deadline = Date.now() + leaseMs * 2;
    for (;;) {
      const row = await prisma.integration.findUnique({ where: { id } });
      if (!row) throw new NotConnectedError(provider);
      usable(row);
      if (row.tokenVersion !== observedVersion) {
        // Another caller or instance refreshed meanwhile.
        return openAccessToken(cipher, row)!;
      }
      const owner = randomUUID();
      const at = now();
      const taken = await prisma.integration.updateMany({
        where: {
          id,
          tokenVersion: observedVersion,
          status: "CONNECTED",
          OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lt: at } }],
        },
        data: { refreshLeaseUntil: new Date(at.getTime() + leaseMs), refreshLeaseOwner: owner },
      });
      if (taken.count === 1) return refreshHoldingLease(row, owner, force);
      if (Date.now() > deadline) {
        throw new ProviderUnavailableError(row.provider, "another refresh is taking too long");
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async function refreshHoldingLease(row: Integration, owner: string, force: boolean): Promise<string> {
    const provider = deps.providers[row.provider];
    const name = PROVIDER_NAMES[row.provider];
    const release = { refreshLeaseUntil: null, refreshLeaseOwner: null };
    if (!provider) {
      await prisma.integration.updateMany({ where: { id: row.id, refreshLeaseOwner: owner }, data: release });
      throw new ProviderNotConfiguredError(row.provider);
    }
    const refreshToken = openRefreshToken(cipher, row);
    if (!refreshToken) {
      await markReconnectRequired(
        row,
        { refreshLeaseOwner: owner },
        `${name} issued no refresh token; reconnect ${name}`,
      );
      throw new ReconnectRequiredError(row.provider);
    }
    let tokens: client.TokenEndpointResponse;
    try {
      tokens = await client.refreshTokenGrant(provider.configuration, refreshToken);
    } catch (error) {
      if (oauthErrorCode(error) === "invalid_grant") {
        const hint = provider.reconnectHint ? ` ${provider.reconnectHint}.` : "";
        await markReconnectRequired(
          row,
          { refreshLeaseOwner: owner },
          `${name} refused the saved authorization (revoked or expired).${hint} Reconnect ${name}`,
        );
        logger.warn({ integrationId: row.id, provider: row.provider }, "refresh token rejected: reconnect required");
        throw new ReconnectRequiredError(row.provider);
      }
      const reason = describeFailure(error);
      const lastError = `Refreshing ${name} access failed (${reason}); it will be retried`;
      await updateRecordingEvent(
        row,
        { refreshLeaseOwner: owner },
        { ...release, lastError },
        { type: "REFRESH_FAILED", outcome: "failure", detail: lastError },
      );
      logger.warn({ integrationId: row.id, provider: row.provider, reason }, "token refresh failed; tokens kept");
      // A token that is only close to expiry still works: better to use it than to fail.
      const stillValid = row.accessTokenExpiresAt && row.accessTokenExpiresAt.getTime() > now().getTime() + 10_000;
      if (stillValid && !force) return openAccessToken(cipher, row)!;
      throw new ProviderUnavailableError(row.provider, reason);
    }
    const at = now();
    const expiresIn = tokens.expires_in ?? provider.defaultAccessTokenTtlSeconds;
    // The provider has already issued these tokens (and may have retired the old refresh token):
    // losing them to a passing database error would force the user to reconnect, so retry.
    await withRetries(() =>
      updateRecordingEvent(
        row,
        { refreshLeaseOwner: owner },
        {
          ...release,
          accessTokenEnc: sealAccessToken(cipher, row.userId, row.provider, tokens.access_token),
          // Providers that do not rotate send no refresh token: keep the one we have.
          ...(tokens.refresh_token
            ? { refreshTokenEnc: sealRefreshToken(cipher, row.userId, row.provider, tokens.refresh_token) }
            : cipher.needsReencryption(row.refreshTokenEnc!)
              ? // Sealed with a retired key: move it to the current one while we hold the lease.
                { refreshTokenEnc: sealRefreshToken(cipher, row.userId, row.provider, refreshToken) }
              : {}),
          ...(tokens.scope ? { scopes: tokens.scope.split(" ").filter(Boolean) } : {}),
          accessTokenExpiresAt: new Date(at.getTime() + expiresIn * 1000),
          lastRefreshedAt: at,
          lastError: null,
          tokenVersion: { increment: 1 },
        },
        { type: "REFRESHED", outcome: "success" },
      ),
    );
    logger.info({ integrationId: row.id, provider: row.provider }, "access token refreshed");
    return tokens.access_token;
  }

  /** `guard` makes it a no-op when someone else changed the row first (lease holder or version). */
  async function markReconnectRequired(
    row: Integration,
    guard: { refreshLeaseOwner: string } | { tokenVersion: number },
    message: string,
  ): Promise<void> {
    await updateRecordingEvent(
      row,
      guard,
      {
        status: "RECONNECT_REQUIRED",
        accessTokenEnc: null,
        refreshTokenEnc: null,
        accessTokenExpiresAt: null,
        lastError: message,
        tokenVersion: { increment: 1 },
        refreshLeaseUntil: null,
        refreshLeaseOwner: null,
      },
      { type: "RECONNECT_REQUIRED", outcome: "failure", detail: message },
    );
  }

  /**
   * Updates the row if `guard` still holds and, only then, records the server's `event` in the
   * same transaction: a caller that lost the lease or the version race changes and records nothing.
   */
  async function updateRecordingEvent(
    row: Integration,
    guard: Prisma.IntegrationWhereInput,
    data: Prisma.IntegrationUpdateManyMutationInput,
    event: Pick<AuditEvent, "type" | "outcome" | "detail">,
  ): Promise<void> {
    await prisma.$transaction(async (tx) => {
      const updated = await tx.integration.updateMany({ where: { id: row.id, ...guard }, data });
      if (updated.count === 1) {
        await recordEvent(tx, { ...event, userId: row.userId, provider: row.provider, actorId: null });
      }
    });
  }

  async function accessToken(row: Integration, options: { force?: boolean }): Promise<string> {
    usable(row);
    if (!options.force && !refreshDue(row.accessTokenExpiresAt, now())) return openAccessToken(cipher, row)!;
    const key = `${row.id}:${row.tokenVersion}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = refreshWithLease(row.id, row.provider, row.tokenVersion, options.force ?? false).finally(() =>
        inFlight.delete(key),
      );
      inFlight.set(key, shared);
    }
    return shared;
  }

  return {
    async accessToken(row, options = {}) {
      try {
        return await accessToken(row, options);
      } catch (error) {
        if (!(error instanceof TokenDecryptionError)) throw error;
        // Sealed with a key this server no longer has: unusable, so the user must reconnect.
        const name = PROVIDER_NAMES[row.provider];
        logger.error(
          { integrationId: row.id, provider: row.provider },
          "stored token cannot be decrypted with the configured keys",
        );
        await markReconnectRequired(
          row,
          { tokenVersion: row.tokenVersion },
          `The saved ${name} authorization can no longer be read (the server's encryption key changed). Reconnect ${name}`,
        );
        throw new ReconnectRequiredError(row.provider);
      }
    },
  };
}

async function withRetries<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `HTTP ${error.status} ${error.error}`;
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "request timed out";
    if (error instanceof client.ClientError) return "unexpected response";
  }
  return "network error";
}
