import type { RunningEmulator } from "../../src/emulator/index.js";
import { oauthHelpers, pkce } from "./oauth-helpers.js";

/** A secret with characters that must be form-urlencoded inside HTTP Basic credentials. */
export const CLIENT = {
  clientId: "test-app:key",
  clientSecret: "s3cret +/%:é",
  redirectUris: ["http://127.0.0.1:9/users/dropbox/callback"],
  name: "Quizzical Beats (test)",
};
export const REDIRECT_URI = CLIENT.redirectUris[0] as string;
export const ALICE = "dbid:AAA-alice";
export const BOB = "dbid:BBB-bob";

export { pkce };

export const { authorizeUrl, consent, tokenRequest, control } = oauthHelpers({
  client: CLIENT,
  redirectUri: REDIRECT_URI,
  authorizePath: "/oauth2/authorize",
  decisionPath: "/oauth2/authorize/decision",
  tokenPath: "/oauth2/token",
  controlPrefix: "/__emulator/dropbox",
  authorizeDefaults: { code_challenge_method: "S256", state: "st-123" },
});

export interface Login {
  code: string;
  verifier: string;
  tokens: Record<string, unknown>;
  accessToken: string;
  refreshToken: string | undefined;
}

/** Full authorization-code + PKCE flow through the consent page. */
export async function login(emu: RunningEmulator, options: { scope?: string; offline?: boolean } = {}): Promise<Login> {
  const { verifier, challenge } = pkce();
  const redirect = await consent(emu, {
    code_challenge: challenge,
    scope: options.scope ?? "account_info.read files.metadata.read files.content.write",
    token_access_type: options.offline === false ? "online" : "offline",
  });
  const code = redirect.searchParams.get("code") ?? "";
  const { status, body } = await tokenRequest(emu, {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  if (status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(body)}`);
  return {
    code,
    verifier,
    tokens: body,
    accessToken: body.access_token as string,
    refreshToken: body.refresh_token as string | undefined,
  };
}

/** A response's status and text, and its body parsed when it is JSON (Dropbox's 400s are plain text). */
export async function readAnswer(res: Response): Promise<{ status: number; body: Record<string, unknown> | null; text: string }> {
  const text = await res.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // plain text stays in `text`
  }
  return { status: res.status, body, text };
}

/** An RPC call: JSON body, or none at all for no-argument routes. */
export function rpc(emu: RunningEmulator, path: string, token: string | null, arg?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (arg !== undefined) headers["content-type"] = "application/json";
  return fetch(new URL(path, emu.url), {
    method: "POST",
    headers,
    body: arg === undefined ? undefined : JSON.stringify(arg),
  });
}
