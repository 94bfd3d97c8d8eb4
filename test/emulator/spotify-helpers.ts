import { createHash, randomBytes } from "node:crypto";
import type { RunningEmulator } from "../../src/emulator/index.js";

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

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(emu: RunningEmulator, params: Record<string, string | null>): string {
  const url = new URL("/authorize", emu.url);
  const defaults: Record<string, string | null> = {
    client_id: SPOTIFY_CLIENT.clientId,
    redirect_uri: SPOTIFY_REDIRECT,
    response_type: "code",
    state: "st-42",
    scope: SCOPES,
  };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) {
    if (value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Walks the consent page like a browser: GET the page, POST Agree or Cancel. Returns the redirect. */
export async function consent(
  emu: RunningEmulator,
  params: Record<string, string | null>,
  decision: "allow" | "deny" = "allow",
): Promise<URL> {
  const page = await fetch(authorizeUrl(emu, params), { redirect: "manual" });
  if (page.status !== 200) throw new Error(`consent page: ${page.status} ${await page.text()}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!requestId) throw new Error("no request_id on the consent page");
  const answer = await fetch(new URL("/authorize/decision", emu.url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ request_id: requestId, decision }),
    redirect: "manual",
  });
  if (answer.status !== 302) throw new Error(`decision: ${answer.status}`);
  return new URL(answer.headers.get("location") ?? "");
}

function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

export async function tokenRequest(
  emu: RunningEmulator,
  params: Record<string, string>,
  auth: "basic" | "body" | "none" = "basic",
  secret = SPOTIFY_CLIENT.clientSecret,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "basic") headers.authorization = basic(SPOTIFY_CLIENT.clientId, secret);
  if (auth === "body") {
    form.set("client_id", SPOTIFY_CLIENT.clientId);
    form.set("client_secret", secret);
  }
  const res = await fetch(new URL("/api/token", emu.url), { method: "POST", headers, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

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

export async function control(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(`/__emulator/spotify${path}`, emu.url), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
