import * as client from "openid-client";
import type { Services } from "../context.js";
import type { Route } from "../http/router.js";
import { redirect } from "../http/respond.js";
import { readCookie, SESSION_COOKIE } from "../auth/cookies.js";
import type { ProviderId } from "./provider.js";
import { stateIdOf, verifierContext } from "./connect.js";
import { withOutcome } from "./return-to.js";
import { storeConnection } from "./store-connection.js";

/** Reasons reported to the front end as `?<provider>=error&reason=<code>`. */
export type CallbackFailure =
  | "invalid_state"
  | "state_expired"
  | "state_mismatch"
  | "not_signed_in"
  | "access_denied"
  | "provider_error"
  | "not_configured"
  | "token_exchange_failed"
  | "account_lookup_failed"
  | "account_in_use"
  | "server_error";

/**
 * The provider redirects the browser here after consent. Every outcome is a redirect to the
 * front end; nothing is stored unless the state is valid, unexpired, unused, and belongs to the
 * signed-in user, and the code exchange and account lookup succeed.
 */
export function oauthCallbackRoute(services: Services, providerId: ProviderId, path: string): Route {
  const outcomeParam = providerId.toLowerCase();
  const { logger, prisma } = services;
  return {
    method: "GET",
    path,
    async handler(req, res, url) {
      const fallback = `${services.config.appUrl}/profile`;
      let target = fallback;
      const fail = (reason: CallbackFailure) => {
        logger.info({ provider: providerId, reason }, "OAuth callback refused");
        redirect(res, withOutcome(target, { [outcomeParam]: "error", reason }));
      };
      try {
        const state = url.searchParams.get("state");
        if (!state || state.length > 512) return fail("invalid_state");
        const row = await prisma.oAuthState.findUnique({ where: { id: stateIdOf(state) } });
        if (!row || row.provider !== providerId) return fail("invalid_state");
        if (row.returnTo) target = row.returnTo;

        const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
        const session = cookie ? await services.sessions.validate(cookie) : null;
        if (!session) return fail("not_signed_in");
        // Another user's state is refused and left alone, so it cannot be used to spoil their flow.
        if (session.user.id !== row.userId) return fail("state_mismatch");
        // Single use: whoever deletes the row owns the flow; a replay finds nothing to delete.
        const consumed = await prisma.oAuthState.deleteMany({ where: { id: row.id, userId: row.userId } });
        if (consumed.count !== 1) return fail("invalid_state");
        if (row.expiresAt.getTime() <= services.now().getTime()) return fail("state_expired");

        const providerError = url.searchParams.get("error");
        if (providerError) return fail(providerError === "access_denied" ? "access_denied" : "provider_error");
        const provider = services.providers[providerId];
        if (!provider) return fail("not_configured");

        const verifier = services.cipher.decrypt(row.codeVerifierEnc, verifierContext(row.id));
        const callbackUrl = new URL(provider.redirectUri);
        callbackUrl.search = url.search;
        let tokens: client.TokenEndpointResponse;
        try {
          tokens = await client.authorizationCodeGrant(provider.configuration, callbackUrl, {
            pkceCodeVerifier: verifier,
            expectedState: state,
          });
        } catch (error) {
          logger.warn({ provider: providerId, reason: (error as Error).message }, "authorization code exchange failed");
          return fail("token_exchange_failed");
        }

        let account;
        try {
          account = await provider.fetchAccount(tokens.access_token);
        } catch (error) {
          logger.warn({ provider: providerId, reason: (error as Error).message }, "account lookup failed");
          await revokeQuietly(services, providerId, tokens.access_token);
          return fail("account_lookup_failed");
        }

        // The system account's flow is started by an admin but connects the system user.
        const owner = row.targetUserId ?? session.user.id;
        const stored = await storeConnection(services, provider, owner, account, tokens, session.user.id);
        if (stored === "account_in_use") {
          // The new grant is useless to us; withdraw it rather than leave it live at the provider.
          await revokeQuietly(services, providerId, tokens.access_token);
          return fail("account_in_use");
        }
        logger.info({ provider: providerId, userId: owner, actorId: session.user.id }, "integration connected");
        redirect(res, withOutcome(target, { [outcomeParam]: "connected" }));
      } catch (error) {
        logger.error({ err: error, provider: providerId }, "OAuth callback failed");
        fail("server_error");
      }
    },
  };
}

async function revokeQuietly(services: Services, providerId: ProviderId, accessToken: string): Promise<void> {
  try {
    await services.providers[providerId]?.revoke?.(accessToken);
  } catch (error) {
    services.logger.warn({ provider: providerId, reason: (error as Error).message }, "revoking an unused grant failed");
  }
}
