import { createHash, randomBytes } from "node:crypto";
import type { RunningEmulator } from "../../src/emulator/index.js";

/** Where a provider's OAuth and control endpoints are, and the test client the helpers act as. */
export interface ProviderUnderTest {
  client: { clientId: string; clientSecret: string };
  redirectUri: string;
  authorizePath: string;
  decisionPath: string;
  tokenPath: string;
  controlPrefix: string;
  /** Authorize parameters the provider's tests send unless told otherwise, besides client, redirect and "code". */
  authorizeDefaults: Record<string, string | null>;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
}

/** The browser, token and control API helpers for one provider; `ControlBody` types the control API's answers. */
export function oauthHelpers<ControlBody = unknown>(provider: ProviderUnderTest) {
  const { client } = provider;

  function authorizeUrl(emu: RunningEmulator, params: Record<string, string | null>): string {
    const url = new URL(provider.authorizePath, emu.url);
    const defaults: Record<string, string | null> = {
      client_id: client.clientId,
      redirect_uri: provider.redirectUri,
      response_type: "code",
      ...provider.authorizeDefaults,
    };
    for (const [key, value] of Object.entries({ ...defaults, ...params })) {
      if (value !== null) url.searchParams.set(key, value);
    }
    return url.toString();
  }

  /** Walks the consent page like a browser: GET the page, POST the chosen form. Returns the redirect. */
  async function consent(
    emu: RunningEmulator,
    params: Record<string, string | null>,
    decision: "allow" | "deny" = "allow",
  ): Promise<URL> {
    const page = await fetch(authorizeUrl(emu, params), { redirect: "manual" });
    if (page.status !== 200) throw new Error(`consent page: ${page.status} ${await page.text()}`);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())?.[1];
    if (!requestId) throw new Error("no request_id on the consent page");
    const answer = await fetch(new URL(provider.decisionPath, emu.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ request_id: requestId, decision }),
      redirect: "manual",
    });
    if (answer.status !== 302) throw new Error(`decision: ${answer.status}`);
    return new URL(answer.headers.get("location") ?? "");
  }

  async function tokenRequest(
    emu: RunningEmulator,
    params: Record<string, string>,
    auth: "basic" | "body" | "none" = "basic",
    secret = client.clientSecret,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (auth === "basic") headers.authorization = basic(client.clientId, secret);
    if (auth === "body") {
      form.set("client_id", client.clientId);
      form.set("client_secret", secret);
    }
    const res = await fetch(new URL(provider.tokenPath, emu.url), { method: "POST", headers, body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function control(
    emu: RunningEmulator,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: ControlBody }> {
    const res = await fetch(new URL(`${provider.controlPrefix}${path}`, emu.url), {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as ControlBody };
  }

  return { authorizeUrl, consent, tokenRequest, control };
}
