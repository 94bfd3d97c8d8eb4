import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { print } from "graphql";
import { cookieValue, postGraphQL } from "./support/graphql.js";
import { execute, expectTypename, postDocument, typedClient } from "./support/typed.js";
import { MeDocument, SignInDocument, SignOutDocument, SignUpDocument } from "./generated/graphql/graphql.js";
import { SESSION_LIFETIME_MS, sessionIdOf } from "../src/auth/sessions.js";

// The operations a front end runs (test/operations/auth.graphql); raw fetch checks send the same text.
const SIGN_UP = print(SignUpDocument);
const ME = print(MeDocument);
const SIGN_OUT = print(SignOutDocument);
const PASSWORD = "correct horse battery staple";

let counter = 0;
const freshEmail = () => `quizmaster${++counter}-${Date.now()}@example.com`;

describe.each(databaseModes())("accounts and sessions (%s database)", (mode) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** signUp over raw fetch (headers and cookies are checked too); `result` is the typed union. */
  async function signUpResult(email = freshEmail(), password = PASSWORD) {
    const res = await postDocument(t.graphqlUrl, SignUpDocument, { email, password });
    expect(res.status).toBe(200);
    const result = res.json.data?.signUp;
    if (!result) throw new Error(`signUp answered ${res.text}`);
    return { ...res, result };
  }

  /** A successful signUp: the AuthPayload member. */
  async function signUp(email?: string, password?: string) {
    const res = await signUpResult(email, password);
    return { ...res, result: expectTypename(res.result, "AuthPayload") };
  }

  const me = (token: string) => typedClient(t.graphqlUrl, token).request(MeDocument);

  it("signs up, returns a token, sets an HttpOnly SameSite=Lax session cookie, and `me` answers", async () => {
    const email = freshEmail();
    const { result, headers } = await signUp(email.toUpperCase());
    expect(result.__typename).toBe("AuthPayload");
    expect(result.user.email).toBe(email.toLowerCase());
    expect(result.user.role).toBe("USER");
    const setCookie = headers.getSetCookie().find((c) => c.startsWith("session="));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
    expect(cookieValue(headers, "session")).toBe(result.token);

    expect((await me(result.token)).me?.email).toBe(email.toLowerCase());
  });

  it("stores only the SHA-256 of the session token", async () => {
    const { result } = await signUp();
    const rows = await t.server.database.prisma.session.findMany({ where: { userId: result.user.id } });
    expect(rows.map((r) => r.id)).toEqual([sessionIdOf(result.token)]);
    expect(JSON.stringify(rows)).not.toContain(result.token);
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    const email = freshEmail();
    await signUp(email);
    const { result } = await signUpResult(email.replace("quizmaster", "QuizMaster"));
    expect(result).toMatchObject({ __typename: "EmailTakenError", code: "EMAIL_TAKEN" });
    expect(await t.server.database.prisma.user.count({ where: { email: email.toLowerCase() } })).toBe(1);
  });

  it.each([
    ["malformed email", "not-an-email", PASSWORD, "email", /valid address/],
    ["huge email", `${"a".repeat(100_000)}@example.com`, PASSWORD, "email", /at most 254/],
    ["short password", undefined, "short", "password", /at least 10/],
    ["huge password", undefined, "x1y2z3".repeat(10_000), "password", /at most 256/],
    ["monotonous password", undefined, "aaaaaaaaaaaa", "password", /too simple/],
  ])("rejects %s with a ValidationError and creates nothing", async (_name, email, password, field, message) => {
    const before = await t.server.database.prisma.user.count();
    const { result } = await signUpResult(email ?? freshEmail(), password);
    const error = expectTypename(result, "ValidationError");
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(await t.server.database.prisma.user.count()).toBe(before);
  });

  it("answers wrong argument types with a 400 GraphQL validation error, not a 500", async () => {
    const res = await postGraphQL(t.graphqlUrl, { query: SIGN_UP, variables: { email: 42, password: { a: 1 } } });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/Variable "\$email" got invalid value 42/);
    const missing = await postGraphQL(t.graphqlUrl, { query: `mutation { signUp(email: "a@b.co") { __typename } }` });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].message).toMatch(/argument "password" of type "String!" is required/);
  });

  it("answers a body over 1 MiB with 413 and unparseable JSON with 400", async () => {
    const huge = await postGraphQL(t.graphqlUrl, { query: SIGN_UP, variables: { email: "x".repeat(2_000_000) } });
    expect(huge.status).toBe(413);
    const broken = await postGraphQL(t.graphqlUrl, "{not json");
    expect(broken.status).toBe(400);
  });

  it("signs in with the right password (email case-insensitive) and refuses a wrong one or unknown email alike", async () => {
    const email = freshEmail();
    await signUp(email);
    const ok = await execute(t.graphqlUrl, SignInDocument, { email: email.toUpperCase(), password: PASSWORD });
    expect(expectTypename(ok.signIn, "AuthPayload").user.email).toBe(email.toLowerCase());
    const wrong = await postDocument(t.graphqlUrl, SignInDocument, { email, password: "wrong password!" });
    const unknown = await postDocument(t.graphqlUrl, SignInDocument, { email: "nobody@example.com", password: PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.json.data?.signIn).toMatchObject({
        __typename: "InvalidCredentialsError",
        code: "INVALID_CREDENTIALS",
        message: "Email or password is incorrect",
      });
      expect(cookieValue(res.headers, "session")).toBeUndefined();
    }
  });

  it("authenticates by cookie and by Bearer; Bearer wins when both are sent", async () => {
    const a = (await signUp()).result;
    const b = (await signUp()).result;
    const byCookie = await postDocument(t.graphqlUrl, MeDocument, {}, { cookie: `session=${a.token}` });
    expect(byCookie.json.data?.me?.id).toBe(a.user.id);
    expect((await me(b.token)).me?.id).toBe(b.user.id);
    const both = await postDocument(t.graphqlUrl, MeDocument, {}, { cookie: `session=${a.token}`, authorization: `Bearer ${b.token}` });
    expect(both.json.data?.me?.id).toBe(b.user.id);
  });

  it("treats unknown, malformed and over-long tokens as signed out, and clears a stale cookie", async () => {
    const attempts: Record<string, string>[] = [
      { authorization: "Bearer not-a-real-token" },
      { authorization: `Bearer ${"x".repeat(10_000)}` },
      { authorization: "Basic dXNlcjpwYXNz" },
      { cookie: "session=%E0%A4%A" },
    ];
    for (const headers of attempts) {
      const res = await postDocument(t.graphqlUrl, MeDocument, {}, headers);
      expect(res.status).toBe(200);
      expect(res.json.data?.me).toBeNull();
    }
    const stale = await postDocument(t.graphqlUrl, MeDocument, {}, { cookie: "session=abcdefabcdef" });
    expect(stale.headers.getSetCookie().find((c) => c.startsWith("session="))).toMatch(/Expires=Thu, 01 Jan 1970/);
  });

  it("signOut ends the session for cookie and for Bearer clients", async () => {
    const { result } = await signUp();
    const out = await postDocument(t.graphqlUrl, SignOutDocument, {}, { cookie: `session=${result.token}` });
    expect(out.json.data?.signOut).toBe(true);
    expect(out.headers.getSetCookie().find((c) => c.startsWith("session="))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await me(result.token)).me).toBeNull();

    const second = await execute(t.graphqlUrl, SignInDocument, { email: result.user.email, password: PASSWORD });
    const { token } = expectTypename(second.signIn, "AuthPayload");
    expect((await execute(t.graphqlUrl, SignOutDocument, {}, { token })).signOut).toBe(true);
    expect((await me(token)).me).toBeNull();
  });

  it("slides the expiry when a session is used in the second half of its life, and expires unused sessions", async () => {
    const { result } = await signUp();
    const initialExpiry = new Date(result.expiresAt).getTime();
    expect(initialExpiry - Date.now()).toBeGreaterThan(SESSION_LIFETIME_MS - 60_000);
    try {
      // 10 days in: no renewal, no cookie.
      t.clock.advance(10 * 86_400_000);
      const early = await postDocument(t.graphqlUrl, MeDocument, {}, { cookie: `session=${result.token}` });
      expect(early.json.data?.me?.id).toBe(result.user.id);
      expect(cookieValue(early.headers, "session")).toBeUndefined();

      // 20 days in: renewed to a full 30 days from "now", cookie re-sent.
      t.clock.advance(10 * 86_400_000);
      const renewed = await postDocument(t.graphqlUrl, MeDocument, {}, { cookie: `session=${result.token}` });
      expect(renewed.json.data?.me?.id).toBe(result.user.id);
      expect(cookieValue(renewed.headers, "session")).toBe(result.token);
      const row = await t.server.database.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(result.token) } });
      expect(row.expiresAt.getTime()).toBeGreaterThan(initialExpiry + 19 * 86_400_000);

      // 31 days after that without use: expired, treated as signed out, row removed.
      t.clock.advance(31 * 86_400_000);
      expect((await me(result.token)).me).toBeNull();
      expect(await t.server.database.prisma.session.count({ where: { id: sessionIdOf(result.token) } })).toBe(0);
    } finally {
      t.clock.offsetMs = 0;
    }
  });

  it("refuses cross-site-able requests: GET or form posts without a CSRF header get 403 and change nothing", async () => {
    const { result } = await signUp();
    const form = await fetch(t.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `session=${result.token}` },
      body: `query=${encodeURIComponent(SIGN_OUT)}`,
    });
    expect(form.status).toBe(403);
    const get = await fetch(`${t.graphqlUrl}?query=${encodeURIComponent(ME)}`, { headers: { cookie: `session=${result.token}` } });
    expect(get.status).toBe(403);
    // The session survived the attempted sign-out.
    expect((await me(result.token)).me?.id).toBe(result.user.id);
    const allowed = await fetch(`${t.graphqlUrl}?query=${encodeURIComponent(ME)}`, {
      headers: { cookie: `session=${result.token}`, "x-graphql-yoga-csrf": "1" },
    });
    expect(((await allowed.json()) as any).data.me.id).toBe(result.user.id);
  });

  it("never writes passwords or session tokens to the logs", async () => {
    const password = "distinctive-Pa55word-for-logs";
    const { result } = await signUp(freshEmail(), password);
    await me(result.token);
    const all = t.logs.join("\n");
    expect(all).toContain('"path":"/graphql"');
    expect(all).not.toContain(password);
    expect(all).not.toContain(result.token);
  });
});
