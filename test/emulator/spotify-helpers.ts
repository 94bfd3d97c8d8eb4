import type { RunningEmulator } from "../../src/emulator/index.js";
import { oauthHelpers, pkce } from "./oauth-helpers.js";

/** A secret with characters that must be form-urlencoded inside HTTP Basic credentials. */
export const SPOTIFY_CLIENT = {
  clientId: "quiz-spotify:id",
  clientSecret: "sp0t +/%:é",
  redirectUris: ["http://127.0.0.1:9/auth/spotify/callback", "http://127.0.0.1/auth/spotify/any-port"],
  name: "Quizzical Beats (test)",
};
export const SPOTIFY_REDIRECT = SPOTIFY_CLIENT.redirectUris[0] as string;
export const ALICE = "spotify-alice";
export const BOB = "spotify-bob";
export const SCOPES = "user-read-email user-read-private playlist-read-private playlist-read-collaborative";

export { pkce };

export const { authorizeUrl, consent, tokenRequest, control } = oauthHelpers<any>({
  client: SPOTIFY_CLIENT,
  redirectUri: SPOTIFY_REDIRECT,
  authorizePath: "/authorize",
  decisionPath: "/authorize/decision",
  tokenPath: "/api/token",
  controlPrefix: "/__emulator/spotify",
  authorizeDefaults: { state: "st-42", scope: SCOPES },
});

export interface SpotifyLogin {
  accessToken: string;
  refreshToken: string;
  tokens: Record<string, unknown>;
}

/** Full authorization-code flow through the consent page, with PKCE unless told otherwise. */
export async function login(
  emu: RunningEmulator,
  options: { scope?: string; pkce?: boolean } = {},
): Promise<SpotifyLogin> {
  const { verifier, challenge } = pkce();
  const usePkce = options.pkce ?? true;
  const redirect = await consent(emu, {
    scope: options.scope ?? SCOPES,
    code_challenge: usePkce ? challenge : null,
    code_challenge_method: usePkce ? "S256" : null,
    show_dialog: "true",
  });
  const { status, body } = await tokenRequest(emu, {
    grant_type: "authorization_code",
    code: redirect.searchParams.get("code") ?? "",
    redirect_uri: SPOTIFY_REDIRECT,
    ...(usePkce ? { code_verifier: verifier } : {}),
  });
  if (status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(body)}`);
  return { tokens: body, accessToken: body.access_token as string, refreshToken: body.refresh_token as string };
}

export async function appToken(emu: RunningEmulator): Promise<string> {
  const { body } = await tokenRequest(emu, { grant_type: "client_credentials" });
  return body.access_token as string;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** GET on the Web API; `path` may be a full URL (a paging object's next). */
export async function api(emu: RunningEmulator, path: string, token: string | null): Promise<ApiAnswer> {
  const res = await fetch(new URL(path, emu.url), {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}
