import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { execute, expectTypename } from "./support/typed.js";
import { SignInDocument, SignUpDocument } from "./generated/graphql/graphql.js";

const PASSWORD = "correct horse battery staple";

describe.each(databaseModes())("sign-in throttling (%s database)", (mode) => {
  let t: TestServer;
  let n = 0;
  beforeAll(async () => {
    t = await startTestServer(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function account() {
    const email = `throttle${++n}-${Date.now()}@example.com`;
    expect((await execute(t.graphqlUrl, SignUpDocument, { email, password: PASSWORD })).signUp.__typename).toBe("AuthPayload");
    return email;
  }
  const signIn = async (email: string, password: string) => (await execute(t.graphqlUrl, SignInDocument, { email, password })).signIn;

  it("locks an email for 15 minutes after five wrong passwords, even for the right one, then lets it in", async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) expect((await signIn(email, "wrong password!")).__typename).toBe("InvalidCredentialsError");
    const locked = expectTypename(await signIn(email, PASSWORD), "TooManySignInAttemptsError");
    expect(locked.code).toBe("TOO_MANY_ATTEMPTS");
    expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.message).toMatch(/try again in 15 minutes/);
    // Email case does not get around it.
    expect((await signIn(email.toUpperCase(), PASSWORD)).__typename).toBe("TooManySignInAttemptsError");
    try {
      t.clock.advance(16 * 60_000);
      expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
    } finally {
      t.clock.offsetMs = 0;
    }
  });

  it("forgets failures after a successful sign-in", async () => {
    const email = await account();
    for (let i = 0; i < 4; i++) await signIn(email, "wrong password!");
    expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
    for (let i = 0; i < 4; i++) await signIn(email, "wrong password!");
    expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
  });

  it("counts concurrent guesses exactly, and treats unknown emails the same way", async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: 10 }, () => signIn(email, "wrong password!")));
    expect(results.every((r) => ["InvalidCredentialsError", "TooManySignInAttemptsError"].includes(r.__typename))).toBe(true);
    expect((await signIn(email, PASSWORD)).__typename).toBe("TooManySignInAttemptsError");
    const unknown = `nobody${Date.now()}@example.com`;
    for (let i = 0; i < 5; i++) await signIn(unknown, "whatever password");
    expect((await signIn(unknown, "whatever password")).__typename).toBe("TooManySignInAttemptsError");
  });
});
