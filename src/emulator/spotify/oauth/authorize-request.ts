import { PKCE_VALUE } from "../../oauth/pkce.js";
import type { SpotifyClientConfig } from "../config.js";
import type { SpotifyState } from "../state.js";
import type { SpotifyCodeGrant } from "./auth-codes.js";
import { checkRedirectUri } from "./redirect-uri.js";
import { parseSpotifyScopes } from "./scopes.js";

export type SpotifyAuthorizeRequest =
  | { kind: "valid"; client: SpotifyClientConfig; grant: SpotifyCodeGrant; state: string | null; showDialog: boolean }
  /** The client or redirect URI cannot be trusted: Spotify shows an error page instead of redirecting. */
  | { kind: "page"; message: string }
  /** Anything else goes back to the (verified) redirect URI as ?error=, per RFC 6749 §4.1.2.1. */
  | { kind: "redirect"; location: string };

function errorRedirect(redirectUri: string, error: string, state: string | null): SpotifyAuthorizeRequest {
  const location = new URL(redirectUri);
  location.searchParams.set("error", error);
  if (state !== null) location.searchParams.set("state", state);
  return { kind: "redirect", location: location.toString() };
}

/** PKCE is optional on Spotify for confidential clients, but only S256 is supported when used. */
function challengeOf(params: URLSearchParams): { ok: true; challenge: string | null } | { ok: false } {
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (challenge === null && method === null) return { ok: true, challenge: null };
  if (challenge === null || method !== "S256" || !PKCE_VALUE.test(challenge)) return { ok: false };
  return { ok: true, challenge };
}

/** Validates GET /authorize query parameters against the registered clients. */
export function parseSpotifyAuthorize(
  clients: Map<string, SpotifyClientConfig>,
  state: SpotifyState,
  params: URLSearchParams,
): SpotifyAuthorizeRequest {
  const clientId = params.get("client_id");
  const client = clientId === null ? undefined : clients.get(clientId);
  if (!client) return { kind: "page", message: "INVALID_CLIENT: Invalid client" };

  const redirectUri = params.get("redirect_uri") ?? "";
  const redirect = checkRedirectUri(redirectUri, client.redirectUris);
  if (redirect === "insecure") return { kind: "page", message: "INVALID_CLIENT: Insecure redirect URI" };
  if (redirect === "unregistered") return { kind: "page", message: "INVALID_CLIENT: Invalid redirect URI" };

  const oauthState = params.get("state");
  if (params.get("response_type") !== "code")
    return errorRedirect(redirectUri, "unsupported_response_type", oauthState);
  const scopes = parseSpotifyScopes(params.get("scope"));
  if (!scopes.ok) return errorRedirect(redirectUri, "invalid_scope", oauthState);
  const pkce = challengeOf(params);
  if (!pkce.ok) return errorRedirect(redirectUri, "invalid_request", oauthState);

  return {
    kind: "valid",
    client,
    state: oauthState,
    showDialog: params.get("show_dialog") === "true",
    grant: {
      clientId: client.clientId,
      redirectUri,
      accountId: state.settings.browserAccountId,
      scopes: scopes.scopes,
      codeChallenge: pkce.challenge,
    },
  };
}
