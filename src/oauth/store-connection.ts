import type * as client from "openid-client";
import type { Services } from "../context.js";
import { isUniqueViolation } from "../db/errors.js";
import type { OAuthProvider, ProviderAccount } from "./provider.js";
import { sealAccessToken, sealRefreshToken } from "./token-store.js";
import { recordEvent } from "./audit.js";

/**
 * Stores a completed connection in one transaction: refuses an account linked to another user,
 * replaces any earlier tokens of this user atomically, and applies the provider's defaults.
 */
export async function storeConnection(
  services: Services,
  provider: OAuthProvider,
  userId: string,
  account: ProviderAccount,
  tokens: client.TokenEndpointResponse,
  actorId: string,
): Promise<"connected" | "account_in_use"> {
  const { prisma, cipher } = services;
  const at = services.now();
  const expiresIn = tokens.expires_in ?? provider.defaultAccessTokenTtlSeconds;
  const fields = {
    status: "CONNECTED" as const,
    accountId: account.accountId,
    accountName: account.accountName,
    scopes: (tokens.scope ?? provider.scopes.join(" ")).split(" ").filter(Boolean),
    accessTokenEnc: sealAccessToken(cipher, userId, provider.id, tokens.access_token),
    refreshTokenEnc: tokens.refresh_token ? sealRefreshToken(cipher, userId, provider.id, tokens.refresh_token) : null,
    accessTokenExpiresAt: new Date(at.getTime() + expiresIn * 1000),
    connectedAt: at,
    lastRefreshedAt: null,
    lastError: null,
    refreshLeaseUntil: null,
    refreshLeaseOwner: null,
  };
  try {
    return await prisma.$transaction(async (tx) => {
      const other = await tx.integration.findFirst({
        where: { provider: provider.id, accountId: account.accountId, NOT: { userId } },
        select: { id: true },
      });
      if (other) return "account_in_use" as const;
      await tx.integration.upsert({
        where: { userId_provider: { userId, provider: provider.id } },
        create: { userId, provider: provider.id, ...fields },
        update: { ...fields, tokenVersion: { increment: 1 } },
      });
      await provider.afterConnect?.(tx, userId);
      await recordEvent(tx, {
        userId,
        provider: provider.id,
        type: "CONNECTED",
        actorId,
        outcome: "success",
        detail: `Connected account ${account.accountName}`,
      });
      return "connected" as const;
    });
  } catch (error) {
    // Two users finishing with the same account at once: the unique index decides.
    if (isUniqueViolation(error)) return "account_in_use";
    throw error;
  }
}
