import { randomBytes } from "node:crypto";
import * as client from "openid-client";
import { sha256Hex } from "../crypto/sha256-hex.js";
import type { Services } from "../context.js";
import type { ProviderId } from "./provider.js";
import { ProviderNotConfiguredError } from "./errors.js";
import { ValidationError } from "../schema/errors.js";
import { resolveReturnTo } from "./return-to.js";

export const STATE_TTL_MS = 10 * 60 * 1000;

export const stateIdOf = sha256Hex;

export function verifierContext(stateId: string): string {
  return `oauth-state:${stateId}`;
}

/**
 * Starts an authorization code flow with PKCE: a single-use state bound to the user (only its
 * hash is stored) and a code verifier (stored encrypted), valid for ten minutes.
 */
export async function startConnect(
  services: Services,
  userId: string,
  providerId: ProviderId,
  returnTo: string | null | undefined,
  /** Connect this user's integration instead of the initiator's (the system account). */
  targetUserId?: string,
): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  const provider = services.providers[providerId];
  if (!provider) throw new ProviderNotConfiguredError(providerId);
  const target = resolveReturnTo(returnTo, services.config.appUrl);
  if ("error" in target) throw new ValidationError("returnTo", target.error);

  const state = randomBytes(32).toString("base64url");
  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const id = stateIdOf(state);
  const at = services.now();
  const expiresAt = new Date(at.getTime() + STATE_TTL_MS);
  await services.prisma.$transaction([
    // Abandoned flows are swept here rather than by a scheduler.
    services.prisma.oAuthState.deleteMany({ where: { expiresAt: { lt: at } } }),
    services.prisma.oAuthState.create({
      data: {
        id,
        userId,
        provider: providerId,
        codeVerifierEnc: services.cipher.encrypt(verifier, verifierContext(id)),
        returnTo: target.url,
        targetUserId: targetUserId ?? null,
        expiresAt,
      },
    }),
  ]);
  const url = client.buildAuthorizationUrl(provider.configuration, {
    redirect_uri: provider.redirectUri,
    response_type: "code",
    scope: provider.scopes.join(" "),
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...provider.authorizeParams,
  });
  return { authorizationUrl: url.toString(), expiresAt };
}
