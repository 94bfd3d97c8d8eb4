import { PKCE_VALUE } from "../../oauth/pkce.js";
import type { DropboxClientConfig } from "../config.js";
import type { DropboxState } from "../state.js";
import type { CodeGrant } from "./auth-codes.js";
import { DEFAULT_SCOPES, parseScopes } from "./scopes.js";

export type AuthorizeRequest =
  | { ok: true; client: DropboxClientConfig; grant: CodeGrant; state: string | null }
  | { ok: false; message: string };

const TOKEN_ACCESS_TYPES = new Set(["online", "offline", "legacy"]);

/** Validates /oauth2/authorize query parameters against the registered clients. */
export function parseAuthorizeRequest(
  clients: Map<string, DropboxClientConfig>,
  state: DropboxState,
  params: URLSearchParams,
): AuthorizeRequest {
  const clientId = params.get("client_id");
  const client = clientId === null ? undefined : clients.get(clientId);
  if (!client) return { ok: false, message: `Invalid client_id: "${clientId ?? ""}"` };

  const redirectUri = params.get("redirect_uri");
  if (redirectUri === null || !client.redirectUris.includes(redirectUri)) {
    return {
      ok: false,
      message: "Invalid redirect_uri. It must exactly match one of the redirect URIs you've pre-configured for your app.",
    };
  }

  const responseType = params.get("response_type");
  if (responseType !== "code") {
    return { ok: false, message: `Invalid response_type: "${responseType ?? ""}". This emulator supports "code".` };
  }

  const codeChallenge = params.get("code_challenge");
  if (codeChallenge === null || !PKCE_VALUE.test(codeChallenge)) {
    return { ok: false, message: "PKCE is required: missing or malformed code_challenge" };
  }
  if (params.get("code_challenge_method") !== "S256") {
    return { ok: false, message: 'code_challenge_method must be "S256"' };
  }

  const tokenAccessType = params.get("token_access_type");
  if (tokenAccessType !== null && !TOKEN_ACCESS_TYPES.has(tokenAccessType)) {
    return { ok: false, message: `Invalid token_access_type: "${tokenAccessType}"` };
  }

  const parsed = parseScopes(params.get("scope"));
  if (!parsed.ok) return { ok: false, message: `Invalid scope: "${parsed.unknown}"` };

  const includeGranted = params.get("include_granted_scopes");
  if (includeGranted !== null && includeGranted !== "user") {
    return { ok: false, message: `Unsupported include_granted_scopes: "${includeGranted}"` };
  }

  const accountId = state.settings.browserAccountId;
  const requested = parsed.scopes.length > 0 ? parsed.scopes : [...DEFAULT_SCOPES];
  const scopes =
    includeGranted === "user"
      ? [...new Set([...state.tokens.grantedScopes(client.clientId, accountId), ...requested])]
      : requested;

  return {
    ok: true,
    client,
    state: params.get("state"),
    grant: {
      clientId: client.clientId,
      redirectUri,
      accountId,
      scopes,
      offline: tokenAccessType === "offline",
      codeChallenge,
    },
  };
}
