import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { execute, expectTypename } from "./support/typed.js";
import { SignInDocument, SignUpDocument } from "./generated/graphql/graphql.js";
import { LOCK_MS, MAX_FAILURES } from "../src/auth/sign-in-throttle.js";

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
    for (let i = 0; i < MAX_FAILURES; i++) expect((await signIn(email, "wrong password!")).__typename).toBe("InvalidCredentialsError");
    const locked = expectTypename(await signIn(email, PASSWORD), "TooManySignInAttemptsError");
    expect(locked.code).toBe("TOO_MANY_ATTEMPTS");
    expect(locked.retryAfterSeconds).toBeGreaterThan(LOCK_MS / 1000 - 60);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(LOCK_MS / 1000);
    expect(locked.message).toMatch(/try again in 15 minutes/);
    // Email case does not get around it.
    expect((await signIn(email.toUpperCase(), PASSWORD)).__typename).toBe("TooManySignInAttemptsError");
    try {
      t.clock.advance(LOCK_MS + 60_000);
      expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
    } finally {
      t.clock.offsetMs = 0;
    }
  });

  it("forgets failures after a successful sign-in", async () => {
    const email = await account();
    for (let i = 0; i < MAX_FAILURES - 1; i++) await signIn(email, "wrong password!");
    expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
    for (let i = 0; i < MAX_FAILURES - 1; i++) await signIn(email, "wrong password!");
    expect((await signIn(email, PASSWORD)).__typename).toBe("AuthPayload");
  });

  it("counts concurrent guesses exactly, and treats unknown emails the same way", async () => {
    const email = await account();
    // Exactly the limit at once: each is checked before any is counted, so all are answered as
    // wrong passwords, and only if every one of them was counted is the email locked afterwards.
    const results = await Promise.all(Array.from({ length: MAX_FAILURES }, () => signIn(email, "wrong password!")));
    expect(results.map((r) => r.__typename)).toEqual(Array(MAX_FAILURES).fill("InvalidCredentialsError"));
    expect((await signIn(email, PASSWORD)).__typename).toBe("TooManySignInAttemptsError");
    const unknown = `nobody${Date.now()}@example.com`;
    for (let i = 0; i < MAX_FAILURES; i++) await signIn(unknown, "whatever password");
    expect((await signIn(unknown, "whatever password")).__typename).toBe("TooManySignInAttemptsError");
  });
});
