import { pkceMatches } from "../../oauth/pkce.js";
import { tokenFailure as fail, type TokenResult } from "../../oauth/token-endpoint.js";
import type { SpotifyEmulator } from "../emulator.js";

/** A challenge binds the code to its verifier; without one, a verifier is a client bug worth surfacing. */
function verifierMatches(challenge: string | null, verifier: string | null): boolean {
  if (challenge === null) return verifier === null;
  return verifier !== null && pkceMatches(verifier, challenge);
}

/** grant_type=authorization_code: single-use, client-, redirect- and (when used) PKCE-bound codes. */
export function redeemSpotifyCode(emu: SpotifyEmulator, clientId: string, params: URLSearchParams): TokenResult {
  const state = emu.state;
  const code = params.get("code");
  if (code === null) return fail("invalid_request", "code must be supplied");
  const stored = state.codes.get(code);
  if (!stored || state.codes.isExpired(stored) || stored.clientId !== clientId) {
    return fail("invalid_grant", "Invalid authorization code");
  }
  if (stored.redeemedGrantId !== null) {
    // A replayed code suggests it leaked: kill everything issued from it (RFC 6749 §4.1.2).
    state.tokens.revokeGrant(stored.redeemedGrantId);
    return fail("invalid_grant", "Invalid authorization code");
  }
  if (params.get("redirect_uri") !== stored.redirectUri) return fail("invalid_grant", "Invalid redirect URI");
  if (!verifierMatches(stored.codeChallenge, params.get("code_verifier"))) {
    return fail("invalid_grant", "code_verifier was incorrect");
  }

  const grantId = state.tokens.openGrant(clientId, stored.accountId, stored.scopes);
  stored.redeemedGrantId = grantId;
  const ttl = state.settings.accessTokenTtlSeconds;
  const access = state.tokens.issueAccess(grantId, ttl);
  const refresh = state.tokens.issueRefresh(grantId, emu.config.refreshTokenLifetimeSeconds);
  return {
    ok: true,
    body: {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: ttl,
      refresh_token: refresh.token,
      scope: stored.scopes.join(" "),
    },
  };
}

/**
 * grant_type=refresh_token: a new access token; with rotation on also a new refresh token,
 * and the presented one stops working. A revoked or expired refresh token is dead for good.
 */
export function refreshSpotifyToken(emu: SpotifyEmulator, clientId: string, params: URLSearchParams): TokenResult {
  const state = emu.state;
  const presented = params.get("refresh_token");
  if (presented === null) return fail("invalid_request", "refresh_token must be supplied");
  const refresh = state.tokens.findRefresh(presented);
  if (!refresh || refresh.clientId !== clientId) {
    return fail("invalid_grant", "Invalid refresh token");
  }
  if (refresh.revoked || state.tokens.isExpired(refresh)) return fail("invalid_grant", "Refresh token revoked");

  const ttl = state.settings.accessTokenTtlSeconds;
  const access = state.tokens.issueAccess(refresh.grantId, ttl);
  const body: Record<string, unknown> = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: ttl,
    scope: refresh.scopes.join(" "),
  };
  if (state.settings.rotateRefreshTokens) {
    state.tokens.revokeToken(refresh.token);
    body.refresh_token = state.tokens.issueRefresh(refresh.grantId, emu.config.refreshTokenLifetimeSeconds).token;
  }
  return { ok: true, body };
}

/** grant_type=client_credentials: an app token with no user and no scopes. */
export function spotifyClientCredentials(emu: SpotifyEmulator, clientId: string): TokenResult {
  const ttl = emu.state.settings.accessTokenTtlSeconds;
  const app = emu.state.tokens.issueApp(clientId, ttl);
  return { ok: true, body: { access_token: app.token, token_type: "Bearer", expires_in: ttl } };
}
