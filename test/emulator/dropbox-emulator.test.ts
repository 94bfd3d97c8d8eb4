import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import {
  ALICE,
  authorizeUrl,
  BOB,
  CLIENT,
  consent,
  control,
  login,
  pkce,
  REDIRECT_URI,
  rpc,
  tokenRequest,
} from "./helpers.js";

let now = Date.UTC(2026, 0, 1);
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startProviderEmulator({ port: 0, dropbox: { clients: [CLIENT] }, clock: () => now });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.dropbox.reset();
  now = Date.UTC(2026, 0, 1);
});

describe("authorize", () => {
  it("listens on loopback only", () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("shows a consent page with the app, the account and the scopes", async () => {
    const res = await fetch(authorizeUrl(emu, { code_challenge: pkce().challenge, scope: "files.metadata.read" }));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("Quizzical Beats (test)");
    expect(html).toContain("Alice Example");
    expect(html).toContain("<li>files.metadata.read</li>");
    expect(emu.dropbox.listPendingConsents()).toMatchObject([{ accountId: ALICE, scopes: ["files.metadata.read"] }]);
  });

  it.each([
    ["unknown client", { client_id: "nope" }, "client_id"],
    ["unregistered redirect", { redirect_uri: `${REDIRECT_URI}/x` }, "redirect_uri"],
    ["wrong response_type", { response_type: "token" }, "response_type"],
    ["no code_challenge", { code_challenge: null }, "code_challenge"],
    ["plain PKCE", { code_challenge_method: "plain" }, "S256"],
    ["unknown scope", { scope: "files.everything" }, "scope"],
  ])("answers %s with a 400 page, never a redirect", async (_name, params, mention) => {
    const res = await fetch(authorizeUrl(emu, { code_challenge: pkce().challenge, ...params }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain(mention);
  });

  it("redirects with access_denied and the state on Deny", async () => {
    const redirect = await consent(emu, { code_challenge: pkce().challenge }, "deny");
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    expect(redirect.searchParams.get("error_description")).toBeTruthy();
    expect(redirect.searchParams.get("state")).toBe("st-123");
    expect(redirect.searchParams.get("code")).toBeNull();
  });

  it("auto-approves as the browser-signed-in account when asked to", async () => {
    emu.dropbox.setAutoApprove(true);
    emu.dropbox.setBrowserAccount(BOB);
    const { verifier, challenge } = pkce();
    const res = await fetch(authorizeUrl(emu, { code_challenge: challenge }), { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("state")).toBe("st-123");
    const { status, body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ account_id: BOB, scope: "account_info.read" });
    expect(body.refresh_token).toBeUndefined(); // no token_access_type=offline
  });
});

describe("token endpoint", () => {
  it("exchanges a code with PKCE for Dropbox-shaped tokens", async () => {
    const { tokens } = await login(emu);
    expect(tokens).toMatchObject({
      token_type: "bearer",
      expires_in: 14400,
      scope: "account_info.read files.metadata.read files.content.write",
      account_id: ALICE,
    });
    expect(tokens.access_token).toMatch(/^sl\.emu-/);
    expect(tokens.refresh_token).toMatch(/^emu-rt-/);
    expect(tokens.uid).toMatch(/^\d+$/);
  });

  it("refuses a wrong code_verifier", async () => {
    const redirect = await consent(emu, { code_challenge: pkce().challenge });
    const { status, body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce().verifier,
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });

  it("refuses a mismatched redirect_uri", async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent(emu, { code_challenge: challenge });
    const { status, body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: "http://127.0.0.1:9/elsewhere",
      code_verifier: verifier,
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });

  it("refuses a reused code and revokes what it issued", async () => {
    const first = await login(emu);
    const replay = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: first.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: first.verifier,
    });
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(emu.dropbox.listTokens().every((token) => token.revoked)).toBe(true);
    expect((await rpc(emu, "/2/users/get_current_account", first.accessToken)).status).toBe(401);
  });

  it("expires codes after ten minutes", async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent(emu, { code_challenge: challenge });
    now += 10 * 60 * 1000;
    const { body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(body.error).toBe("invalid_grant");
  });

  it("accepts client credentials in the body as well as Basic, and refuses bad ones with 400", async () => {
    const { refreshToken } = await login(emu);
    const params = { grant_type: "refresh_token", refresh_token: refreshToken ?? "" };
    expect((await tokenRequest(emu, params, "body")).status).toBe(200);
    expect((await tokenRequest(emu, params, "basic")).status).toBe(200);
    expect(await tokenRequest(emu, params, "basic", "wrong")).toMatchObject({
      status: 400,
      body: { error: "invalid_client" },
    });
    expect(await tokenRequest(emu, params, "body", "wrong")).toMatchObject({
      status: 400,
      body: { error: "invalid_client" },
    });
    expect((await tokenRequest(emu, params, "none")).body.error).toBe("invalid_client");
  });

  it("refreshes without rotating the refresh token, optionally narrowing scope", async () => {
    const { refreshToken } = await login(emu);
    const refreshed = await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken ?? "" });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    const narrow = await tokenRequest(emu, {
      grant_type: "refresh_token",
      refresh_token: refreshToken ?? "",
      scope: "account_info.read",
    });
    expect((await rpc(emu, "/2/files/list_folder", narrow.body.access_token as string, { path: "" })).status).toBe(401);
    const wide = await tokenRequest(emu, {
      grant_type: "refresh_token",
      refresh_token: refreshToken ?? "",
      scope: "sharing.write",
    });
    expect(wide.body.error).toBe("invalid_scope");
  });

  it("refuses unknown refresh tokens and grant types", async () => {
    expect((await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: "emu-rt-nope" })).body.error).toBe(
      "invalid_grant",
    );
    expect((await tokenRequest(emu, { grant_type: "client_credentials" })).body.error).toBe("unsupported_grant_type");
  });

  it("issues no refresh token for online access", async () => {
    const { tokens } = await login(emu, { offline: false });
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe("API authentication", () => {
  it("returns the current account", async () => {
    const { accessToken } = await login(emu);
    const res = await rpc(emu, "/2/users/get_current_account", accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      account_id: ALICE,
      name: { given_name: "Alice", surname: "Example", display_name: "Alice Example", abbreviated_name: "AE" },
      email: "alice@example.com",
      email_verified: true,
      disabled: false,
      country: "GB",
      account_type: { ".tag": "basic" },
    });
  });

  it("follows Dropbox's body rules for no-argument routes", async () => {
    const { accessToken } = await login(emu);
    const url = new URL("/2/users/get_current_account", emu.url);
    const auth = { authorization: `Bearer ${accessToken}` };
    const nullBody = await fetch(url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "null",
    });
    expect(nullBody.status).toBe(200);
    const emptyJson = await fetch(url, { method: "POST", headers: { ...auth, "content-type": "application/json" } });
    expect(emptyJson.status).toBe(400);
    expect(await emptyJson.text()).toContain("could not decode input as JSON");
  });

  it("answers missing, unknown and revoked tokens with 401 invalid_access_token", async () => {
    for (const token of [null, "sl.emu-unknown"]) {
      const res = await rpc(emu, "/2/users/get_current_account", token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { ".tag": "invalid_access_token" } });
    }
  });

  it("answers expired tokens with 401 expired_access_token", async () => {
    const { accessToken } = await login(emu);
    now += 14_400 * 1000;
    const res = await rpc(emu, "/2/users/get_current_account", accessToken);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error_summary: string; error: unknown };
    expect(body.error).toEqual({ ".tag": "expired_access_token" });
    expect(body.error_summary).toMatch(/^expired_access_token\//);
  });

  it("refuses a token without the route's scope", async () => {
    const { accessToken } = await login(emu, { scope: "account_info.read" });
    const res = await rpc(emu, "/2/files/list_folder", accessToken, { path: "" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { ".tag": "missing_scope", required_scope: "files.metadata.read" } });
  });

  it("revokes the whole grant on /2/auth/token/revoke", async () => {
    const { accessToken, refreshToken } = await login(emu);
    const refreshed = await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken ?? "" });
    const revoke = await rpc(emu, "/2/auth/token/revoke", accessToken);
    expect(revoke.status).toBe(200);
    expect(await revoke.text()).toBe("null");
    expect((await rpc(emu, "/2/users/get_current_account", refreshed.body.access_token as string)).status).toBe(401);
    const again = await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken ?? "" });
    expect(again.body.error).toBe("invalid_grant");
    expect(emu.dropbox.listTokens().map((token) => token.revoked)).toEqual([true, true, true]);
  });
});

describe("files", () => {
  async function seeded(): Promise<string> {
    const { accessToken } = await login(emu);
    for (const name of ["a", "b", "c", "d", "e"]) emu.dropbox.putFile(ALICE, `/Quizzes/${name}.json`, `{"${name}":1}`);
    emu.dropbox.createFolder(ALICE, "/Quizzes/Archive");
    return accessToken;
  }

  async function listAll(token: string, arg: Record<string, unknown>) {
    const pages: { entries: { name: string }[]; cursor: string; has_more: boolean }[] = [];
    let res = await rpc(emu, "/2/files/list_folder", token, arg);
    for (;;) {
      expect(res.status).toBe(200);
      const page = (await res.json()) as (typeof pages)[number];
      pages.push(page);
      if (!page.has_more) return pages;
      res = await rpc(emu, "/2/files/list_folder/continue", token, { cursor: page.cursor });
    }
  }

  it("paginates list_folder by limit, case-insensitively", async () => {
    const token = await seeded();
    const pages = await listAll(token, { path: "/quizzes", limit: 2 });
    expect(pages.map((page) => page.entries.length)).toEqual([2, 2, 2]);
    expect(pages.flatMap((page) => page.entries.map((entry) => entry.name)).sort()).toEqual([
      "Archive",
      "a.json",
      "b.json",
      "c.json",
      "d.json",
      "e.json",
    ]);
    const first = pages[0]?.entries[0] as Record<string, unknown>;
    expect(first).toMatchObject({ ".tag": "file", path_display: "/Quizzes/a.json", path_lower: "/quizzes/a.json" });
    expect(first.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("paginates by the control page size when no limit is passed", async () => {
    const token = await seeded();
    emu.dropbox.setListFolderPageSize(4);
    const pages = await listAll(token, { path: "", recursive: true });
    expect(pages.map((page) => page.entries.length)).toEqual([4, 3]);
  });

  it("reports changes after a finished listing through its cursor", async () => {
    const token = await seeded();
    const [last] = (await listAll(token, { path: "/Quizzes" })).slice(-1);
    emu.dropbox.putFile(ALICE, "/Quizzes/f.json", "{}");
    const res = await rpc(emu, "/2/files/list_folder/continue", token, { cursor: last?.cursor });
    expect(await res.json()).toMatchObject({ entries: [{ name: "f.json" }], has_more: false });
  });

  it("reports a reset cursor after the emulator is reset", async () => {
    const token = await seeded();
    const [page] = await listAll(token, { path: "/Quizzes" });
    emu.dropbox.reset();
    const again = await login(emu);
    const res = await rpc(emu, "/2/files/list_folder/continue", again.accessToken, { cursor: page?.cursor });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { ".tag": "reset" } });
    expect(token).not.toBe(again.accessToken);
  });

  it("answers bad paths like Dropbox", async () => {
    const token = await seeded();
    const notFound = await rpc(emu, "/2/files/list_folder", token, { path: "/nope" });
    expect(notFound.status).toBe(409);
    expect(await notFound.json()).toEqual({
      error_summary: "path/not_found/..",
      error: { ".tag": "path", path: { ".tag": "not_found" } },
    });
    const slashRoot = await rpc(emu, "/2/files/list_folder", token, { path: "/" });
    expect(slashRoot.status).toBe(400);
    expect(await slashRoot.text()).toContain("Specify the root folder as an empty string");
    const relative = await rpc(emu, "/2/files/list_folder", token, { path: "Quizzes" });
    expect(relative.status).toBe(400);
    const trailing = await rpc(emu, "/2/files/list_folder", token, { path: "/Quizzes/" });
    expect(trailing.status).toBe(409);
    expect(await trailing.json()).toMatchObject({ error: { path: { ".tag": "malformed_path" } } });
  });

  it("creates folders, with conflicts and autorename", async () => {
    const token = await seeded();
    const created = await rpc(emu, "/2/files/create_folder_v2", token, { path: "/Exports/2026" });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({
      metadata: { name: "2026", path_display: "/Exports/2026", id: expect.stringMatching(/^id:/) },
    });
    const conflict = await rpc(emu, "/2/files/create_folder_v2", token, { path: "/exports/2026" });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      error_summary: expect.stringMatching(/^path\/conflict\/folder\//),
      error: { ".tag": "path", path: { ".tag": "conflict", conflict: { ".tag": "folder" } } },
    });
    const renamed = await rpc(emu, "/2/files/create_folder_v2", token, { path: "/Exports/2026", autorename: true });
    expect(await renamed.json()).toMatchObject({ metadata: { name: "2026 (1)" } });
  });

  it("gets metadata by path and by id", async () => {
    const token = await seeded();
    const byPath = (await (await rpc(emu, "/2/files/get_metadata", token, { path: "/QUIZZES/A.JSON" })).json()) as {
      id: string;
    };
    expect(byPath).toMatchObject({ ".tag": "file", name: "a.json", size: 7 });
    const byId = await rpc(emu, "/2/files/get_metadata", token, { path: byPath.id });
    expect(await byId.json()).toEqual(byPath);
    expect((await rpc(emu, "/2/files/get_metadata", token, { path: "/Quizzes/zz" })).status).toBe(409);
  });

  it("keeps each account's files apart", async () => {
    await seeded();
    emu.dropbox.setBrowserAccount(BOB);
    const bob = await login(emu);
    const res = await rpc(emu, "/2/files/list_folder", bob.accessToken, { path: "" });
    expect(await res.json()).toMatchObject({ entries: [], has_more: false });
  });
});

describe("faults", () => {
  it("fails the next N calls with http500, then recovers", async () => {
    const { accessToken } = await login(emu);
    emu.dropbox.injectFault({ endpoint: "get_current_account", kind: "http500", times: 2 });
    expect((await rpc(emu, "/2/users/get_current_account", accessToken)).status).toBe(500);
    expect((await rpc(emu, "/2/users/get_current_account", accessToken)).status).toBe(500);
    expect((await rpc(emu, "/2/users/get_current_account", accessToken)).status).toBe(200);
  });

  it("hangs on timeout until the client gives up", async () => {
    const { accessToken } = await login(emu);
    emu.dropbox.injectFault({ endpoint: "get_current_account", kind: "timeout" });
    const call = fetch(new URL("/2/users/get_current_account", emu.url), {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(150),
    });
    await expect(call).rejects.toThrow();
  });

  it("answers malformed with a 200 that is not JSON", async () => {
    emu.dropbox.injectFault({ endpoint: "token", kind: "malformed" });
    const res = await fetch(new URL("/oauth2/token", emu.url), { method: "POST" });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("answers invalid_grant on the token endpoint, per grant type", async () => {
    const { refreshToken } = await login(emu);
    emu.dropbox.injectFault({ endpoint: "token:refresh_token", kind: "invalid_grant" });
    const params = { grant_type: "refresh_token", refresh_token: refreshToken ?? "" };
    expect((await tokenRequest(emu, params)).body).toMatchObject({ error: "invalid_grant" });
    expect((await tokenRequest(emu, params)).status).toBe(200);
  });

  it("answers unauthorized with 401 invalid_access_token on a valid token", async () => {
    const { accessToken } = await login(emu);
    emu.dropbox.injectFault({ endpoint: "list_folder", kind: "unauthorized" });
    const res = await rpc(emu, "/2/files/list_folder", accessToken, { path: "" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { ".tag": "invalid_access_token" } });
  });

  it("answers rate_limited with 429, Retry-After and Dropbox's body", async () => {
    const { accessToken } = await login(emu);
    emu.dropbox.injectFault({ endpoint: "list_folder", kind: "rate_limited", retryAfterSeconds: 7 });
    const res = await rpc(emu, "/2/files/list_folder", accessToken, { path: "" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({
      error_summary: "too_many_requests/..",
      error: { reason: { ".tag": "too_many_requests" }, retry_after: 7 },
    });
  });

  it("drops the connection on reset", async () => {
    emu.dropbox.injectFault({ endpoint: "authorize", kind: "reset" });
    await expect(fetch(authorizeUrl(emu, { code_challenge: pkce().challenge }))).rejects.toThrow();
  });

  it("refuses faults that do not fit the endpoint", () => {
    expect(() => emu.dropbox.injectFault({ endpoint: "get_current_account", kind: "invalid_grant" })).toThrow();
    expect(() => emu.dropbox.injectFault({ endpoint: "nope", kind: "http500" })).toThrow();
  });

  it("closes promptly while a timeout request is still hanging", async () => {
    const other = await startProviderEmulator({ dropbox: { clients: [CLIENT] } });
    other.dropbox.injectFault({ endpoint: "authorize", kind: "timeout" });
    const hanging = fetch(authorizeUrl(other, { code_challenge: pkce().challenge })).catch((error: unknown) => error);
    while (other.dropbox.callCounts().authorize !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await hanging).toBeInstanceOf(Error);
  });
});

describe("control API over HTTP", () => {
  it("counts calls per endpoint and grant type, and resets them", async () => {
    const { refreshToken } = await login(emu);
    await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken ?? "" });
    expect((await control(emu, "GET", "/calls")).body).toEqual({
      authorize: 1,
      token: 2,
      "token:authorization_code": 1,
      "token:refresh_token": 1,
    });
    await control(emu, "DELETE", "/calls");
    expect((await control(emu, "GET", "/calls")).body).toEqual({});
  });

  it("injects, lists and clears faults", async () => {
    expect((await control(emu, "POST", "/faults", { endpoint: "revoke", kind: "http500", times: 3 })).status).toBe(200);
    expect((await control(emu, "GET", "/faults")).body).toEqual([
      { endpoint: "revoke", kind: "http500", remaining: 3, retryAfterSeconds: 1 },
    ]);
    expect((await control(emu, "POST", "/faults", { endpoint: "revoke", kind: "bogus" })).status).toBe(400);
    await control(emu, "DELETE", "/faults");
    expect((await control(emu, "GET", "/faults")).body).toEqual([]);
  });

  it("lists tokens with account, client, times and revocation", async () => {
    const { accessToken, refreshToken } = await login(emu);
    const tokens = (await control(emu, "GET", "/tokens")).body as Record<string, unknown>[];
    expect(tokens).toEqual([
      expect.objectContaining({
        kind: "access",
        token: accessToken,
        accountId: ALICE,
        clientId: CLIENT.clientId,
        issuedAt: now,
        expiresAt: now + 14_400_000,
        revoked: false,
      }),
      expect.objectContaining({ kind: "refresh", token: refreshToken, expiresAt: null, revoked: false }),
    ]);
  });

  it("revokes a user's grant from the provider side", async () => {
    const { refreshToken } = await login(emu);
    const res = await control(emu, "POST", "/grants/revoke", { accountId: ALICE });
    expect(res.body).toEqual({ revokedGrants: 1 });
    const refreshed = await tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken ?? "" });
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("expires all access tokens now and sets the TTL", async () => {
    const { accessToken } = await login(emu);
    await control(emu, "POST", "/tokens/expire");
    const res = await rpc(emu, "/2/users/get_current_account", accessToken);
    expect(await res.json()).toMatchObject({ error: { ".tag": "expired_access_token" } });
    await control(emu, "PUT", "/access-token-ttl", { seconds: 60 });
    expect((await login(emu)).tokens.expires_in).toBe(60);
  });

  it("switches the browser account and auto-approve, and decides consents", async () => {
    await control(emu, "PUT", "/browser-account", { accountId: BOB });
    expect((await control(emu, "PUT", "/browser-account", { accountId: "dbid:nobody" })).status).toBe(400);
    await fetch(authorizeUrl(emu, { code_challenge: pkce().challenge }));
    const [pending] = (await control(emu, "GET", "/consents")).body as { requestId: string; accountId: string }[];
    expect(pending?.accountId).toBe(BOB);
    const decided = await control(emu, "POST", "/consents/decide", { requestId: pending?.requestId, decision: "allow" });
    expect((decided.body as { location: string }).location).toMatch(/[?&]code=/);
    await control(emu, "PUT", "/auto-approve", { enabled: true });
    const res = await fetch(authorizeUrl(emu, { code_challenge: pkce().challenge }), { redirect: "manual" });
    expect(res.status).toBe(302);
  });

  it("seeds and lists files, and resets everything", async () => {
    await control(emu, "POST", "/files", { accountId: ALICE, path: "/Notes/hello.txt", content: "hello" });
    const files = (await control(emu, "GET", `/files?accountId=${encodeURIComponent(ALICE)}`)).body as {
      pathDisplay: string;
      contentBase64: string | null;
    }[];
    expect(files.map((file) => file.pathDisplay)).toEqual(["/Notes", "/Notes/hello.txt"]);
    expect(Buffer.from(files[1]?.contentBase64 ?? "", "base64").toString()).toBe("hello");
    await login(emu);
    await control(emu, "POST", "/reset");
    expect(emu.dropbox.listFiles(ALICE)).toEqual([]);
    expect(emu.dropbox.listTokens()).toEqual([]);
    expect(emu.dropbox.callCounts()).toEqual({});
  });
});
