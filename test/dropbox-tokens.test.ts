import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import {
  callsSince,
  ALICE,
  clientOf,
  connectDropbox,
  dropboxIntegration,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { expectTypename, postDocument } from "./support/typed.js";
import { DisconnectDropboxDocument, DropboxFoldersDocument, IntegrationsDocument } from "./generated/graphql/graphql.js";
import { createTokenRefresher } from "../src/oauth/token-refresher.js";

const FOUR_HOURS = 4 * 3600_000;

describe.each(databaseModes())("Dropbox tokens (%s database)", (mode) => {
  let stack: DropboxStack;
  let user: TestUser;
  const responses: string[] = [];

  beforeAll(async () => {
    stack = await startDropboxStack(mode);
    stack.emulator.dropbox.createFolder(ALICE, "/Rounds");
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(async () => {
    // Frees Alice's Dropbox account for the next test even when this one failed midway.
    stack.emulator.dropbox.clearFaults();
    await disconnect();
  });
  beforeEach(async () => {
    stack.emulator.dropbox.clearFaults();
    stack.server.clock.offsetMs = 0;
    // A fresh user linked to Alice's Dropbox for every test.
    user = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(stack, user)).searchParams.get("dropbox")).toBe("connected");
  });

  /** DropboxFolders over raw fetch: every response body is kept for the plaintext-token check. */
  async function folders(who = user) {
    const res = await postDocument(stack.server.graphqlUrl, DropboxFoldersDocument, {}, { authorization: `Bearer ${who.token}` });
    responses.push(res.text);
    expect(res.status).toBe(200);
    if (!res.json.data) throw new Error(`dropboxFolders answered ${res.text}`);
    return res.json.data.dropboxFolders;
  }
  const refreshes = () => stack.emulator.dropbox.callCounts()["token:refresh_token"] ?? 0;
  const row = () => stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: user.id } });
  async function disconnect(who = user) {
    return (await clientOf(stack.server, who).request(DisconnectDropboxDocument)).disconnectDropbox;
  }

  it("uses a fresh token without refreshing", async () => {
    const before = refreshes();
    expect((await folders()).__typename).toBe("DropboxFolderPage");
    expect(refreshes()).toBe(before);
  });

  it("refreshes an expiring token exactly once under 50 concurrent GraphQL requests", async () => {
    stack.server.clock.advance(FOUR_HOURS - 60_000); // within the 5-minute window
    expect((await dropboxIntegration(stack, user)).status).toBe("EXPIRING");
    const before = refreshes();
    const results = await Promise.all(Array.from({ length: 50 }, () => folders()));
    expect(results.map((r) => r.__typename)).toEqual(Array(50).fill("DropboxFolderPage"));
    expect(refreshes() - before).toBe(1);
    const integration = await dropboxIntegration(stack, user);
    expect(integration.status).toBe("CONNECTED");
    expect(integration.lastRefreshedAt).not.toBeNull();
    // Dropbox sends no new refresh token: the old one is kept and still works.
    stack.server.clock.advance(FOUR_HOURS);
    expect((await folders()).__typename).toBe("DropboxFolderPage");
    expect(refreshes() - before).toBe(2);
  });

  it("lets only one of two instances refresh (lease), the other reads the fresh token", async () => {
    const services = stack.server.server.services;
    // Two refreshers share nothing in memory, exactly like two server instances.
    const instances = [0, 1].map(() =>
      createTokenRefresher({ ...services, now: stack.server.clock.now, pollMs: 10 }),
    );
    stack.server.clock.advance(FOUR_HOURS);
    const stale = await row();
    const before = refreshes();
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => instances[i % 2]!.accessToken(stale)),
    );
    expect(refreshes() - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    const live = stack.emulator.dropbox.listTokens().find((t) => t.token === tokens[0]);
    expect(live?.revoked).toBe(false);
    expect((await row()).refreshLeaseUntil).toBeNull();
  });

  it("turns invalid_grant into RECONNECT_REQUIRED: tokens cleared, account and export path kept", async () => {
    stack.emulator.dropbox.revokeUserGrant(ALICE);
    stack.server.clock.advance(FOUR_HOURS);
    const result = await folders();
    expect(result).toMatchObject({ __typename: "ReconnectRequiredError", code: "RECONNECT_REQUIRED" });
    expect(expectTypename(result, "ReconnectRequiredError").message).toMatch(/reconnect Dropbox/);
    const integration = await dropboxIntegration(stack, user);
    expect(integration).toMatchObject({ status: "RECONNECT_REQUIRED", accountId: ALICE, exportPath: "/QuizzicalBeats" });
    expect(integration.lastError).toMatch(/reconnect Dropbox/i);
    const stored = await row();
    expect(stored.accessTokenEnc).toBeNull();
    expect(stored.refreshTokenEnc).toBeNull();
    // Further calls don't hammer Dropbox.
    const before = refreshes();
    expect((await folders()).__typename).toBe("ReconnectRequiredError");
    expect(refreshes()).toBe(before);
    // Reconnecting restores it.
    expect((await connectDropbox(stack, user)).searchParams.get("dropbox")).toBe("connected");
    expect((await dropboxIntegration(stack, user)).status).toBe("CONNECTED");
  });

  it.each(["http500", "timeout", "malformed"] as const)(
    "keeps the tokens when the refresh fails with %s, reports a retryable error, and recovers",
    async (kind) => {
      stack.server.clock.advance(FOUR_HOURS + 60_000); // fully expired
      const before = await row();
      stack.emulator.dropbox.injectFault({ endpoint: "token:refresh_token", kind });
      const failed = await folders();
      expect(failed).toMatchObject({ __typename: "ProviderUnavailableError", code: "PROVIDER_UNAVAILABLE" });
      const after = await row();
      expect(after.accessTokenEnc).toBe(before.accessTokenEnc);
      expect(after.refreshTokenEnc).toBe(before.refreshTokenEnc);
      expect(after.status).toBe("CONNECTED");
      expect(after.lastError).toMatch(/Refreshing Dropbox access failed/);
      expect(after.refreshLeaseUntil).toBeNull();
      const recovered = await folders();
      expect(recovered.__typename).toBe("DropboxFolderPage");
      expect((await row()).lastError).toBeNull();
    },
  );

  it("keeps using a token that is close to expiry when the refresh fails", async () => {
    stack.server.clock.advance(FOUR_HOURS - 120_000);
    stack.emulator.dropbox.injectFault({ endpoint: "token:refresh_token", kind: "http500" });
    expect((await folders()).__typename).toBe("DropboxFolderPage");
  });

  it("disconnect refreshes an expired token, revokes it at Dropbox, keeps the export path, and is idempotent", async () => {
    stack.server.clock.advance(FOUR_HOURS + 60_000);
    const calls = callsSince(stack.emulator.dropbox);
    const first = await disconnect();
    expect(first).toMatchObject({ revoked: true, integration: { status: "NOT_CONNECTED", lastError: null } });
    expect(calls("token:refresh_token")).toBe(1);
    expect(calls("revoke")).toBe(1);
    const alive = stack.emulator.dropbox.listTokens().filter((t) => t.accountId === ALICE && !t.revoked);
    expect(alive).toEqual([]);
    const integration = await dropboxIntegration(stack, user);
    expect(integration).toMatchObject({ status: "NOT_CONNECTED", accountId: null, accountName: null, exportPath: "/QuizzicalBeats" });
    const stored = await row();
    expect([stored.accessTokenEnc, stored.refreshTokenEnc]).toEqual([null, null]);

    const second = await disconnect();
    expect(second).toMatchObject({ revoked: false, integration: { status: "NOT_CONNECTED" } });
    expect(second.message).toMatch(/was not connected/);
    expect((await folders()).__typename).toBe("NotConnectedError");
  });

  it("disconnects even when Dropbox fails the revocation, and records it", async () => {
    stack.emulator.dropbox.injectFault({ endpoint: "revoke", kind: "http500" });
    const result = await disconnect();
    expect(result.revoked).toBe(false);
    expect(result.integration.status).toBe("NOT_CONNECTED");
    expect(result.integration.lastError).toMatch(/could not confirm the revocation/);
    const stored = await row();
    expect([stored.accessTokenEnc, stored.refreshTokenEnc, stored.accountId]).toEqual([null, null, null]);
  });

  it("never stores, returns or logs a token in plaintext", async () => {
    stack.server.clock.advance(FOUR_HOURS);
    await folders(); // forces a refresh so refreshed tokens are covered too
    const tokens = stack.emulator.dropbox.listTokens().map((t) => t.token);
    expect(tokens.length).toBeGreaterThan(2);
    const dump = await stack.server.server.database.withSession(async (session) => {
      const tables = await session.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
      );
      const parts: string[] = [];
      for (const { tablename } of tables) {
        const rows = await session.query(`SELECT row_to_json(t)::text AS j FROM "${tablename}" t`);
        parts.push(...rows.map((r) => String((r as { j: string }).j)));
      }
      return parts.join("\n");
    });
    expect(dump).toContain("v1."); // the ciphertexts are there
    const integrations = JSON.stringify(await clientOf(stack.server, user).request(IntegrationsDocument));
    const logs = stack.server.logs.join("\n");
    for (const token of tokens) {
      expect(dump).not.toContain(token);
      expect(logs).not.toContain(token);
      expect(integrations).not.toContain(token);
      for (const response of responses) expect(response).not.toContain(token);
    }
    await disconnect();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("two server instances on one PostgreSQL database", () => {
  let first: DropboxStack;
  let second: DropboxStack;
  beforeAll(async () => {
    first = await startDropboxStack("server");
    second = await startDropboxStack("server", { database: first.server.database, emulator: first.emulator });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it("refresh the token once between them under 50 concurrent requests", async () => {
    const user = await signUpUser(first.server);
    first.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(first, user)).searchParams.get("dropbox")).toBe("connected");
    first.server.clock.advance(FOUR_HOURS);
    second.server.clock.advance(FOUR_HOURS);
    const calls = callsSince(first.emulator.dropbox);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => clientOf((i % 2 ? second : first).server, user).request(DropboxFoldersDocument)),
    );
    expect(results.map((r) => r.dropboxFolders.__typename)).toEqual(Array(50).fill("DropboxFolderPage"));
    expect(calls("token:refresh_token")).toBe(1);
  });
});
