import { createHash, randomBytes } from "node:crypto";
import type { RunningEmulator } from "../../src/emulator/index.js";

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

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(emu: RunningEmulator, params: Record<string, string | null>): string {
  const url = new URL("/oauth2/authorize", emu.url);
  const defaults: Record<string, string | null> = {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    code_challenge_method: "S256",
    state: "st-123",
  };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) {
    if (value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Walks the consent page like a browser: GET the page, POST the chosen form. Returns the redirect. */
export async function consent(
  emu: RunningEmulator,
  params: Record<string, string | null>,
  decision: "allow" | "deny" = "allow",
): Promise<URL> {
  const page = await fetch(authorizeUrl(emu, params), { redirect: "manual" });
  if (page.status !== 200) throw new Error(`consent page: ${page.status} ${await page.text()}`);
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId) throw new Error("no request_id on the consent page");
  const answer = await fetch(new URL("/oauth2/authorize/decision", emu.url), {
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
  secret = CLIENT.clientSecret,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (auth === "basic") headers.authorization = basic(CLIENT.clientId, secret);
  if (auth === "body") {
    form.set("client_id", CLIENT.clientId);
    form.set("client_secret", secret);
  }
  const res = await fetch(new URL("/oauth2/token", emu.url), { method: "POST", headers, body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Login {
  code: string;
  verifier: string;
  tokens: Record<string, unknown>;
  accessToken: string;
  refreshToken: string | undefined;
}

/** Full authorization-code + PKCE flow through the consent page. */
export async function login(
  emu: RunningEmulator,
  options: { scope?: string; offline?: boolean } = {},
): Promise<Login> {
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

export async function control(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(`/__emulator/dropbox${path}`, emu.url), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
