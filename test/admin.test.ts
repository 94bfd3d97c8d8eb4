import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { ClientError } from "graphql-request";
import {
  ALICE,
  clientOf,
  connectDropbox,
  connectSpotify,
  completeConnect,
  integrationOf,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { startTestServer } from "./support/server.js";
import { expectGraphQLErrors, expectTypename } from "./support/typed.js";
import {
  AdminDisconnectIntegrationDocument,
  DisconnectDropboxDocument,
  DisconnectSpotifyDocument,
  DisconnectSystemSpotifyDocument,
  DropboxFoldersDocument,
  IntegrationEventsDocument,
  MeDocument,
  SetUserRoleDocument,
  SpotifySearchDocument,
  StartSystemSpotifyConnectDocument,
  SystemIntegrationsDocument,
  UsersDocument,
  type Role,
  type UsersQueryVariables,
} from "./generated/graphql/graphql.js";

describe.each(databaseModes())("admin tools and audit trail (%s database)", (mode) => {
  let stack: DropboxStack;
  let admin: TestUser;
  let member: TestUser;
  let queries = 0;

  beforeAll(async () => {
    stack = await startDropboxStack(mode, { serverOptions: { onDatabaseQuery: () => void queries++ } });
    admin = await signUpUser(stack.server);
    member = await signUpUser(stack.server);
    await stack.server.server.database.prisma.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const client = (user: TestUser) => clientOf(stack.server, user);
  /** The user's own audit trail, newest first. */
  async function events(user: TestUser) {
    const { me } = await client(user).request(IntegrationEventsDocument, { first: 50 });
    if (!me) throw new Error("IntegrationEvents: not signed in");
    return me.integrationEvents.edges.map((e) => e.node);
  }

  it("refuses every admin field to non-admins, revealing nothing", async () => {
    const asMember = client(member);
    for (const attempt of [
      () => asMember.request(UsersDocument),
      () => asMember.request(SystemIntegrationsDocument),
      () => asMember.request(SetUserRoleDocument, { userId: admin.id, role: "USER" }),
      () => asMember.request(AdminDisconnectIntegrationDocument, { userId: admin.id, provider: "DROPBOX" }),
      () => asMember.request(StartSystemSpotifyConnectDocument),
    ]) {
      const res = await expectGraphQLErrors(attempt());
      expect(res.data).toBeNull();
      expect(res.errors[0]).toMatchObject({ message: "Not authorized: this requires an administrator", extensions: { code: "FORBIDDEN" } });
      expect(res.body).not.toContain(admin.email);
    }
  });

  it("filters users by integration status exactly as Integration.status reports it", async () => {
    const prisma = stack.server.server.database.prisma;
    const prefix = `status-${Date.now()}`;
    const now = stack.server.clock.now().getTime();
    const rows = [
      { status: "CONNECTED", accessTokenExpiresAt: new Date(now + 3600_000) },
      { status: "CONNECTED", accessTokenExpiresAt: new Date(now + 60_000) },
      { status: "CONNECTED", accessTokenExpiresAt: null },
      { status: "RECONNECT_REQUIRED", accessTokenExpiresAt: new Date(now + 3600_000) },
      { status: "DISCONNECTED", accessTokenExpiresAt: null },
      null,
    ] as const;
    for (const [i, row] of rows.entries()) {
      const user = await prisma.user.create({ data: { email: `${prefix}-${i}@example.com`, passwordHash: "!" } });
      if (!row) continue;
      await prisma.integration.create({ data: { userId: user.id, provider: "DROPBOX", accountId: `dbid:${prefix}-${i}`, scopes: [], ...row } });
    }
    const list = async (filter: UsersQueryVariables["filter"]) =>
      (await client(admin).request(UsersDocument, { first: 50, filter })).users.edges.map((e) => e.node);
    const listed = await list({ email: prefix });
    const dropboxStatus = (node: (typeof listed)[number]) => node.integrations.find((i) => i.provider === "DROPBOX")?.status ?? "NOT_CONNECTED";
    expect(listed.map(dropboxStatus)).toEqual(["CONNECTED", "EXPIRING", "EXPIRING", "RECONNECT_REQUIRED", "NOT_CONNECTED", "NOT_CONNECTED"]);
    for (const status of ["CONNECTED", "EXPIRING", "RECONNECT_REQUIRED", "NOT_CONNECTED"] as const) {
      const filtered = await list({ email: prefix, provider: "DROPBOX", integrationStatus: status });
      expect(filtered.map((n) => n.email), status).toEqual(listed.filter((n) => dropboxStatus(n) === status).map((n) => n.email));
    }
    await prisma.user.deleteMany({ where: { email: { startsWith: prefix } } });
  });

  it("lists 1000 users with their integrations in a bounded number of SQL queries", async () => {
    const prisma = stack.server.server.database.prisma;
    const prefix = `bulk-${Date.now()}`;
    await prisma.user.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({ email: `${prefix}-${String(i).padStart(4, "0")}@example.com`, passwordHash: "!" })),
    });
    const bulk = await prisma.user.findMany({ where: { email: { startsWith: prefix } }, select: { id: true } });
    await prisma.integration.createMany({
      data: bulk.map((u, i) => ({
        userId: u.id,
        provider: "DROPBOX" as const,
        status: i % 10 === 0 ? ("RECONNECT_REQUIRED" as const) : ("CONNECTED" as const),
        accountId: `dbid:bulk-${i}`,
        accountName: `Bulk ${i}`,
        accessTokenExpiresAt: new Date(Date.now() + 3600_000),
        scopes: [],
      })),
    });
    const users = async (variables: UsersQueryVariables) => (await client(admin).request(UsersDocument, variables)).users;
    const count = async (first: number) => {
      queries = 0;
      const { edges } = await users({ first, filter: { email: prefix } });
      return { queries, edges };
    };
    const small = await count(10);
    const large = await count(1000);
    expect(large.edges).toHaveLength(1000);
    expect(large.edges.every((e) => e.node.integrations.length === 2)).toBe(true);
    const firstBulk = large.edges.find((e) => e.node.email === `${prefix}-0000@example.com`);
    expect(firstBulk?.node.integrations.find((i) => i.provider === "DROPBOX")?.status).toBe("RECONNECT_REQUIRED");
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(6);

    const reconnect = await users({
      first: 1000,
      filter: { email: prefix, provider: "DROPBOX", integrationStatus: "RECONNECT_REQUIRED" },
    });
    expect(reconnect.edges).toHaveLength(100);
    const notConnected = await users({
      first: 10,
      filter: { email: prefix, provider: "SPOTIFY", integrationStatus: "NOT_CONNECTED" },
    });
    expect(notConnected.edges).toHaveLength(10);
    expect(notConnected.pageInfo.hasNextPage).toBe(true);
    const next = await users({ first: 995, after: notConnected.pageInfo.endCursor, filter: { email: prefix } });
    expect(next.edges).toHaveLength(990);
    expect(next.pageInfo.hasNextPage).toBe(false);
    await prisma.user.deleteMany({ where: { email: { startsWith: prefix } } });
  });

  it("disconnects a user's Dropbox as an admin: revoked at Dropbox and recorded with the admin as actor", async () => {
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(stack, member)).searchParams.get("dropbox")).toBe("connected");
    const disconnect = async (userId: string) =>
      (await client(admin).request(AdminDisconnectIntegrationDocument, { userId, provider: "DROPBOX" })).adminDisconnectIntegration;
    const result = await disconnect(member.id);
    expect(result).toMatchObject({ __typename: "DisconnectPayload", revoked: true, integration: { provider: "DROPBOX", status: "NOT_CONNECTED" } });
    expect(stack.emulator.dropbox.listTokens().filter((t) => t.accountId === ALICE && !t.revoked)).toEqual([]);
    const trail = await events(member);
    expect(trail[0]).toMatchObject({ type: "DISCONNECTED", provider: "DROPBOX", byAdmin: true, actorId: admin.id, outcome: "success" });
    expect(trail.some((e) => e.type === "CONNECTED" && e.actorId === member.id)).toBe(true);
    expect(await disconnect("nope")).toMatchObject({ __typename: "ValidationError" });
  });

  it("records refreshes, refresh failures, reconnect-required and failed revocations in the audit trail", async () => {
    const user = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    await connectDropbox(stack, user);
    const folders = () => client(user).request(DropboxFoldersDocument);
    try {
      stack.server.clock.advance(4 * 3600_000 + 60_000);
      stack.emulator.dropbox.injectFault({ endpoint: "token:refresh_token", kind: "http500" });
      await folders();
      await folders();
      stack.server.clock.advance(4 * 3600_000 + 60_000);
      stack.emulator.dropbox.revokeUserGrant(ALICE);
      await folders();
    } finally {
      stack.server.clock.offsetMs = 0;
    }
    await connectDropbox(stack, user);
    stack.emulator.dropbox.injectFault({ endpoint: "revoke", kind: "http500" });
    await client(user).request(DisconnectDropboxDocument);
    const trail = await events(user);
    expect(trail.map((e) => e.type)).toEqual([
      "DISCONNECTED",
      "REVOCATION_FAILED",
      "CONNECTED",
      "RECONNECT_REQUIRED",
      "REFRESHED",
      "REFRESH_FAILED",
      "CONNECTED",
    ]);
    expect(trail.find((e) => e.type === "REFRESHED")?.actorId).toBeNull();
    const all = JSON.stringify(trail);
    for (const token of stack.emulator.dropbox.listTokens()) expect(all).not.toContain(token.token);
  });

  it("changes roles, never removing the last admin, and records it", async () => {
    const other = await signUpUser(stack.server);
    const setRole = async (who: TestUser, userId: string, role: Role) =>
      (await client(who).request(SetUserRoleDocument, { userId, role })).setUserRole;
    const prisma = stack.server.server.database.prisma;
    const admins = await prisma.user.count({ where: { role: "ADMIN" } });
    expect(admins).toBe(1);
    expect(await setRole(admin, admin.id, "USER")).toMatchObject({ __typename: "LastAdminError", code: "LAST_ADMIN" });
    expect(await setRole(admin, other.id, "ADMIN")).toEqual({ __typename: "User", id: other.id, email: other.email, role: "ADMIN" });
    // Two admins demoting each other at once: one of them stays (the other request is refused
    // as the last admin, or as no longer an admin if it was authorized after the first commit).
    // The typename of the result, or the error code of a refused request.
    const demote = (who: TestUser, userId: string) =>
      setRole(who, userId, "USER").then(
        (result) => result.__typename,
        (error: unknown) => {
          if (error instanceof ClientError) return error.response.errors?.[0]?.extensions?.code;
          throw error;
        },
      );
    const outcomes = await Promise.all([demote(admin, other.id), demote(other, admin.id)]);
    expect(outcomes.filter((o) => o === "User")).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
    const stillAdmin = (await prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } })).id;
    if (stillAdmin !== admin.id) await prisma.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const events = await prisma.integrationEvent.findMany({ where: { userId: other.id, type: "ROLE_CHANGED" } });
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it("connects the system Spotify account through OAuth and uses it in the fallback chain", async () => {
    const start = expectTypename((await client(admin).request(StartSystemSpotifyConnectDocument)).startSystemSpotifyConnect, "ConnectStart");
    stack.emulator.spotify.setBrowserAccount("spotify-bob");
    expect((await completeConnect(start.authorizationUrl, admin)).searchParams.get("spotify")).toBe("connected");
    const { systemIntegrations } = await client(admin).request(SystemIntegrationsDocument);
    expect(systemIntegrations).toEqual([expect.objectContaining({ provider: "SPOTIFY", status: "CONNECTED", accountName: "Bob Listener" })]);
    // The admin's own Spotify is untouched.
    expect((await integrationOf(stack.server, admin, "SPOTIFY")).status).toBe("NOT_CONNECTED");
    const tokenSource = async () =>
      expectTypename((await client(member).request(SpotifySearchDocument, { query: "Neon", type: "ARTIST" })).spotifySearch, "SpotifySearchConnection")
        .tokenSource;
    expect(await tokenSource()).toBe("SYSTEM");
    await client(admin).request(DisconnectSystemSpotifyDocument);
    expect(await tokenSource()).toBe("APP");
  });

  it("lets a user connect Spotify for themselves while a system account exists", async () => {
    stack.emulator.spotify.setBrowserAccount("spotify-alice");
    expect((await connectSpotify(stack, member)).searchParams.get("spotify")).toBe("connected");
    await client(member).request(DisconnectSpotifyDocument);
  });
});

describe("npm run user:promote", () => {
  it("makes an existing user an administrator, and says so when the email is unknown", async () => {
    const server = await startTestServer("embedded");
    const user = await signUpUser(server);
    await server.server.close(); // the embedded database allows one process at a time
    const run = (email: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/promote-user.ts", email], {
          env: { PATH: process.env.PATH ?? "", ...server.env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("exit", (code) => resolve({ code, out }));
      });
    try {
      expect(await run(user.email.toUpperCase())).toEqual({ code: 0, out: `${user.email} is now an administrator\n` });
      expect(await run("nobody@example.com")).toMatchObject({ code: 1, out: "no user with email nobody@example.com\n" });
      expect((await run("not-an-email")).code).toBe(2);
      await server.restart();
      const { me } = await clientOf(server, user).request(MeDocument);
      expect(me?.role).toBe("ADMIN");
    } finally {
      await server.close();
    }
  }, 60_000);
});
