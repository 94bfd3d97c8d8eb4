import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import {
  ALICE,
  APP_URL,
  BOB,
  clientOf,
  connectDropbox,
  dropboxIntegration,
  follow,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { startTestServer, type TestServer } from "./support/server.js";
import { execute, expectGraphQLErrors, expectTypename } from "./support/typed.js";
import { DisconnectDropboxDocument, DropboxFoldersDocument, StartDropboxConnectDocument } from "./generated/graphql/graphql.js";

/** startDropboxConnect as the front end runs it; the result union. */
async function startConnect(server: TestServer, user: TestUser, returnTo?: string) {
  return (await clientOf(server, user).request(StartDropboxConnectDocument, { returnTo })).startDropboxConnect;
}

/** The authorization URL of a successful startDropboxConnect. */
async function authorizationUrl(server: TestServer, user: TestUser): Promise<string> {
  return expectTypename(await startConnect(server, user), "ConnectStart").authorizationUrl;
}

describe.each(databaseModes())("Dropbox connect flow (%s database)", (mode) => {
  let stack: DropboxStack;
  beforeAll(async () => {
    stack = await startDropboxStack(mode);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.emulator.dropbox.setAutoApprove(true);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    stack.emulator.dropbox.clearFaults();
  });

  async function freshAccount(accountId: string) {
    // Each test links its own emulator account so tests don't collide on "account in use".
    stack.emulator.dropbox.setBrowserAccount(accountId);
  }

  it("connects end to end: CONNECTED with account name, export path defaulted, tokens only encrypted", async () => {
    const user = await signUpUser(stack.server);
    const before = await dropboxIntegration(stack, user);
    expect(before).toMatchObject({ status: "NOT_CONNECTED", accountId: null, exportPath: null });

    await freshAccount(ALICE);
    const landed = await connectDropbox(stack, user, "/settings/integrations?tab=dropbox");
    expect(landed.origin).toBe(APP_URL);
    expect(landed.pathname).toBe("/settings/integrations");
    expect(landed.searchParams.get("tab")).toBe("dropbox");
    expect(landed.searchParams.get("dropbox")).toBe("connected");

    const after = await dropboxIntegration(stack, user);
    expect(after).toMatchObject({
      status: "CONNECTED",
      accountId: ALICE,
      accountName: "Alice Example",
      exportPath: "/QuizzicalBeats",
      lastError: null,
    });
    expect(after.scopes).toEqual(
      expect.arrayContaining(["account_info.read", "files.content.read", "files.content.write"]),
    );
    expect(new Date(after.accessTokenExpiresAt!).getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000);

    // PKCE S256 and offline access were asked for.
    const exchange = stack.emulator.dropbox.callCounts();
    expect(exchange["token:authorization_code"]).toBeGreaterThanOrEqual(1);
    const tokens = stack.emulator.dropbox.listTokens().filter((t) => t.accountId === ALICE && !t.revoked);
    expect(tokens.some((t) => t.kind === "refresh")).toBe(true);
    const row = await stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: user.id } });
    const rowText = JSON.stringify(row);
    for (const token of tokens) expect(rowText).not.toContain(token.token);
    expect(row.accessTokenEnc).toMatch(/^v1\./);

    // The user's next connect replaces tokens atomically (reconnect).
    await connectDropbox(stack, user);
    const reconnected = await stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: user.id } });
    expect(reconnected.accessTokenEnc).not.toBe(row.accessTokenEnc);
    expect(reconnected.tokenVersion).toBe(row.tokenVersion + 1);
    expect(await stack.server.server.database.prisma.integration.count({ where: { userId: user.id } })).toBe(1);
  });

  it("asks Dropbox for PKCE S256, offline access and exactly the scopes the product uses", async () => {
    const user = await signUpUser(stack.server);
    const url = new URL(await authorizationUrl(stack.server, user));
    expect(url.origin + url.pathname).toBe(`${stack.emulator.url}/oauth2/authorize`);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("token_access_type")).toBe("offline");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("redirect_uri")).toBe(`${stack.server.url}/users/dropbox/callback`);
    expect(url.searchParams.get("scope")!.split(" ").sort()).toEqual(
      [
        "account_info.read",
        "files.content.read",
        "files.content.write",
        "files.metadata.read",
        "sharing.read",
        "sharing.write",
      ].sort(),
    );
    const state = url.searchParams.get("state")!;
    // Only a hash of the state is stored, with a 10-minute expiry.
    const rows = await stack.server.server.database.prisma.oAuthState.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toContain(state);
    expect(rows[0]!.codeVerifierEnc).toMatch(/^v1\./);
    const ttl = rows[0]!.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
  });

  it("stores nothing when the user denies access, and says so", async () => {
    stack.emulator.dropbox.setAutoApprove(false);
    const user = await signUpUser(stack.server);
    const consentPage = await fetch(await authorizationUrl(stack.server, user));
    expect(consentPage.status).toBe(200);
    const [pending] = stack.emulator.dropbox.listPendingConsents().slice(-1);
    const { location } = stack.emulator.dropbox.decideConsent(pending!.requestId, "deny");
    expect(new URL(location).searchParams.get("error")).toBe("access_denied");
    const landed = await follow(location, user.cookie);
    const target = new URL(landed.location!);
    expect(target.toString()).toMatch(`${APP_URL}/profile?`);
    expect(target.searchParams.get("dropbox")).toBe("error");
    expect(target.searchParams.get("reason")).toBe("access_denied");
    expect((await dropboxIntegration(stack, user)).status).toBe("NOT_CONNECTED");
  });

  it("refuses forged, replayed, expired and other users' state, storing nothing", async () => {
    const user = await signUpUser(stack.server);
    const other = await signUpUser(stack.server);
    const callback = `${stack.server.url}/users/dropbox/callback`;
    const reason = async (url: string, cookie?: string) => {
      const res = await follow(url, cookie);
      expect(res.status).toBe(302);
      const target = new URL(res.location!);
      expect(target.searchParams.get("dropbox")).toBe("error");
      return target.searchParams.get("reason");
    };

    expect(await reason(`${callback}?code=abc&state=forged`, user.cookie)).toBe("invalid_state");
    expect(await reason(`${callback}?code=abc`, user.cookie)).toBe("invalid_state");
    expect(await reason(`${callback}?code=abc&state=${"x".repeat(5000)}`, user.cookie)).toBe("invalid_state");

    // Another user's state: refused, and it stays usable by its owner.
    await freshAccount(BOB);
    const atProvider = await follow(await authorizationUrl(stack.server, user));
    expect(await reason(atProvider.location!, other.cookie)).toBe("state_mismatch");
    expect(await reason(atProvider.location!)).toBe("not_signed_in");
    const ok = await follow(atProvider.location!, user.cookie);
    expect(new URL(ok.location!).searchParams.get("dropbox")).toBe("connected");
    // Replay of the same callback URL: the state was used.
    expect(await reason(atProvider.location!, user.cookie)).toBe("invalid_state");
    expect((await dropboxIntegration(stack, other)).status).toBe("NOT_CONNECTED");
    await clientOf(stack.server, user).request(DisconnectDropboxDocument);

    // Expired state (the server's clock moves past the 10-minute window).
    const late = await signUpUser(stack.server);
    const lateCallback = await follow(await authorizationUrl(stack.server, late));
    stack.server.clock.advance(11 * 60_000);
    try {
      expect(await reason(lateCallback.location!, late.cookie)).toBe("state_expired");
    } finally {
      stack.server.clock.offsetMs = 0;
    }
    expect((await dropboxIntegration(stack, late)).status).toBe("NOT_CONNECTED");
    // No callback failure leaked a token into the logs.
    const allLogs = stack.server.logs.join("\n");
    for (const token of stack.emulator.dropbox.listTokens()) expect(allLogs).not.toContain(token.token);
  });

  it.each([
    ["another origin", "https://evil.example/steal"],
    ["a protocol-relative URL", "//evil.example/steal"],
    ["a backslash trick", "/\\evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["credentials in the URL", `${APP_URL.replace("http://", "http://user:pw@")}/profile`],
  ])("refuses returnTo with %s", async (_name, returnTo) => {
    const user = await signUpUser(stack.server);
    const result = await startConnect(stack.server, user, returnTo);
    expect(result).toMatchObject({ __typename: "ValidationError", code: "VALIDATION_FAILED" });
    expect(expectTypename(result, "ValidationError").message).toMatch(/returnTo must/);
    expect(await stack.server.server.database.prisma.oAuthState.count({ where: { userId: user.id } })).toBe(0);
  });

  it("accepts an absolute returnTo on APP_URL's origin", async () => {
    const user = await signUpUser(stack.server);
    const result = await startConnect(stack.server, user, `${APP_URL}/quiz/42#export`);
    expect(result.__typename).toBe("ConnectStart");
  });

  it("refuses a Dropbox account already linked to another user, changing neither user", async () => {
    const first = await signUpUser(stack.server);
    const second = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(BOB);
    expect((await connectDropbox(stack, first)).searchParams.get("dropbox")).toBe("connected");
    const firstBefore = await stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: first.id } });

    const refused = await connectDropbox(stack, second);
    expect(refused.searchParams.get("dropbox")).toBe("error");
    expect(refused.searchParams.get("reason")).toBe("account_in_use");
    expect(await dropboxIntegration(stack, second)).toMatchObject({ status: "NOT_CONNECTED", exportPath: null });
    const firstAfter = await stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: first.id } });
    expect(firstAfter).toEqual(firstBefore);
    // The second user's fresh grant was withdrawn at Dropbox rather than left live.
    const live = stack.emulator.dropbox.listTokens().filter((t) => t.accountId === BOB && !t.revoked && t.kind === "refresh");
    expect(live).toHaveLength(1);
    await clientOf(stack.server, first).request(DisconnectDropboxDocument);
  });

  it("requires sign-in for startDropboxConnect", async () => {
    const { errors } = await expectGraphQLErrors(execute(stack.server.graphqlUrl, StartDropboxConnectDocument));
    expect(errors[0]!.message).toMatch(/Not signed in/);
    expect(errors[0]!.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("reports a failed code exchange without storing anything", async () => {
    const user = await signUpUser(stack.server);
    stack.emulator.dropbox.injectFault({ endpoint: "token:authorization_code", kind: "http500" });
    const landed = await connectDropbox(stack, user);
    expect(landed.searchParams.get("reason")).toBe("token_exchange_failed");
    expect((await dropboxIntegration(stack, user)).status).toBe("NOT_CONNECTED");
  });
});

describe("Dropbox not configured", () => {
  it("starts without an app key and answers a clear error", async () => {
    const server = await startTestServer("embedded");
    try {
      const user = await signUpUser(server);
      expect(await startConnect(server, user)).toMatchObject({
        __typename: "ProviderNotConfiguredError",
        message: "Dropbox is not configured on this server",
      });
      const { dropboxFolders } = await clientOf(server, user).request(DropboxFoldersDocument);
      expect(expectTypename(dropboxFolders, "ProviderNotConfiguredError").message).toBe("Dropbox is not configured on this server");
    } finally {
      await server.close();
    }
  });
});
