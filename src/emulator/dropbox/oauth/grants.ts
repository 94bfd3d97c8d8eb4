import type { DropboxEmulator } from "../emulator.js";
import type { DropboxState } from "../state.js";
import { pkceMatches } from "../../oauth/pkce.js";
import { tokenFailure as fail, type TokenResult } from "../../oauth/token-endpoint.js";
import { parseScopes } from "./scopes.js";

/** grant_type=authorization_code: single-use, client-, redirect- and PKCE-bound codes. */
export function redeemCode(
  emu: DropboxEmulator,
  state: DropboxState,
  clientId: string,
  params: URLSearchParams,
): TokenResult {
  const code = params.get("code");
  if (code === null) return fail("invalid_request", "No code provided");
  const stored = state.codes.get(code);
  if (!stored || state.codes.isExpired(stored)) return fail("invalid_grant", "code doesn't exist or has expired");
  if (stored.redeemedGrantId !== null) {
    // A replayed code suggests it leaked: kill everything issued from it (RFC 6749 §4.1.2).
    state.tokens.revokeGrant(stored.redeemedGrantId);
    return fail("invalid_grant", "code has already been used");
  }
  if (stored.clientId !== clientId) return fail("invalid_grant", "code was issued to a different client");
  if (params.get("redirect_uri") !== stored.redirectUri) return fail("invalid_grant", "redirect_uri mismatch");
  if (!pkceMatches(params.get("code_verifier") ?? "", stored.codeChallenge)) {
    return fail("invalid_grant", "invalid code verifier");
  }

  const grantId = state.tokens.openGrant(clientId, stored.accountId, stored.scopes);
  stored.redeemedGrantId = grantId;
  const ttl = state.settings.accessTokenTtlSeconds;
  const access = state.tokens.issueAccess(grantId, ttl);
  const refresh = stored.offline ? state.tokens.issueRefresh(grantId, null) : null;
  return {
    ok: true,
    body: {
      access_token: access.token,
      token_type: "bearer",
      expires_in: ttl,
      ...(refresh ? { refresh_token: refresh.token } : {}),
      scope: stored.scopes.join(" "),
      uid: emu.account(stored.accountId)?.uid ?? "",
      account_id: stored.accountId,
    },
  };
}

/** grant_type=refresh_token: a new access token only; Dropbox never rotates refresh tokens. */
export function refreshAccess(state: DropboxState, clientId: string, params: URLSearchParams): TokenResult {
  const token = params.get("refresh_token");
  if (token === null) return fail("invalid_request", "No refresh_token provided");
  const refresh = state.tokens.findRefresh(token);
  if (!refresh || refresh.revoked) return fail("invalid_grant", "refresh token is invalid or revoked");
  if (refresh.clientId !== clientId) return fail("invalid_grant", "refresh token was issued to a different client");

  let scopes = refresh.scopes;
  if (params.has("scope")) {
    const parsed = parseScopes(params.get("scope"));
    if (!parsed.ok || parsed.scopes.length === 0 || parsed.scopes.some((scope) => !refresh.scopes.includes(scope))) {
      return fail("invalid_scope", "requested scope exceeds the scope originally granted");
    }
    scopes = parsed.scopes;
  }
  const ttl = state.settings.accessTokenTtlSeconds;
  const access = state.tokens.issueAccess(refresh.grantId, ttl, scopes);
  return { ok: true, body: { access_token: access.token, token_type: "bearer", expires_in: ttl } };
}
