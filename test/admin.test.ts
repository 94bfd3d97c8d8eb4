import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import {
  ALICE,
  connectDropbox,
  connectSpotify,
  follow,
  gql,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { postGraphQL } from "./support/graphql.js";
import { startTestServer } from "./support/server.js";

const USERS = `query($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { id email role integrations { provider status accountName } } }
  }
}`;
const EVENTS = `query { me { integrationEvents(first: 50) { edges { node { type provider outcome detail byAdmin actorId } } } } }`;

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

  async function raw(user: TestUser, query: string, variables: Record<string, unknown> = {}) {
    return postGraphQL(stack.server.graphqlUrl, { query, variables }, { authorization: `Bearer ${user.token}` });
  }

  it("refuses every admin field to non-admins, revealing nothing", async () => {
    for (const query of [
      `{ users { edges { node { email } } } }`,
      `{ systemIntegrations { status } }`,
      `mutation { setUserRole(userId: "${admin.id}", role: USER) { __typename } }`,
      `mutation { adminDisconnectIntegration(userId: "${admin.id}", provider: DROPBOX) { __typename } }`,
      `mutation { startSystemSpotifyConnect { __typename } }`,
    ]) {
      const res = await raw(member, query);
      expect(res.json.data).toBeNull();
      expect(res.json.errors[0]).toMatchObject({ message: "Not authorized: this requires an administrator", extensions: { code: "FORBIDDEN" } });
      expect(res.text).not.toContain(admin.email);
    }
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
    const count = async (first: number) => {
      queries = 0;
      const data = await gql(stack.server, admin, USERS, { first, filter: { email: prefix } });
      return { queries, edges: data.users.edges };
    };
    const small = await count(10);
    const large = await count(1000);
    expect(large.edges).toHaveLength(1000);
    expect(large.edges.every((e: any) => e.node.integrations.length === 2)).toBe(true);
    const firstBulk = large.edges.find((e: any) => e.node.email === `${prefix}-0000@example.com`);
    expect(firstBulk.node.integrations.find((i: any) => i.provider === "DROPBOX").status).toBe("RECONNECT_REQUIRED");
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(6);

    const reconnect = await gql(stack.server, admin, USERS, {
      first: 1000,
      filter: { email: prefix, provider: "DROPBOX", integrationStatus: "RECONNECT_REQUIRED" },
    });
    expect(reconnect.users.edges).toHaveLength(100);
    const notConnected = await gql(stack.server, admin, USERS, {
      first: 10,
      filter: { email: prefix, provider: "SPOTIFY", integrationStatus: "NOT_CONNECTED" },
    });
    expect(notConnected.users.edges).toHaveLength(10);
    expect(notConnected.users.pageInfo.hasNextPage).toBe(true);
    const next = await gql(stack.server, admin, USERS, { first: 995, after: notConnected.users.pageInfo.endCursor, filter: { email: prefix } });
    expect(next.users.edges).toHaveLength(990);
    expect(next.users.pageInfo.hasNextPage).toBe(false);
    await prisma.user.deleteMany({ where: { email: { startsWith: prefix } } });
  });

  it("disconnects a user's Dropbox as an admin: revoked at Dropbox and recorded with the admin as actor", async () => {
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(stack, member)).searchParams.get("dropbox")).toBe("connected");
    const result = (
      await gql(stack.server, admin, `mutation($u: ID!) { adminDisconnectIntegration(userId: $u, provider: DROPBOX) {
        ... on DisconnectPayload { revoked integration { status } } } }`, { u: member.id })
    ).adminDisconnectIntegration;
    expect(result).toEqual({ revoked: true, integration: { status: "NOT_CONNECTED" } });
    expect(stack.emulator.dropbox.listTokens().filter((t) => t.accountId === ALICE && !t.revoked)).toEqual([]);
    const events = (await gql(stack.server, member, EVENTS)).me.integrationEvents.edges.map((e: any) => e.node);
    expect(events[0]).toMatchObject({ type: "DISCONNECTED", provider: "DROPBOX", byAdmin: true, actorId: admin.id, outcome: "success" });
    expect(events.some((e: any) => e.type === "CONNECTED" && e.actorId === member.id)).toBe(true);
    const unknown = (await gql(stack.server, admin, `mutation { adminDisconnectIntegration(userId: "nope", provider: DROPBOX) { __typename ... on UserError { message } } }`)).adminDisconnectIntegration;
    expect(unknown).toMatchObject({ __typename: "ValidationError" });
  });

  it("records refreshes, refresh failures, reconnect-required and failed revocations in the audit trail", async () => {
    const user = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    await connectDropbox(stack, user);
    const folders = () => gql(stack.server, user, `{ dropboxFolders { __typename } }`);
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
    await gql(stack.server, user, `mutation { disconnectDropbox { revoked } }`);
    const events = (await gql(stack.server, user, EVENTS)).me.integrationEvents.edges.map((e: any) => e.node);
    expect(events.map((e: any) => e.type)).toEqual([
      "DISCONNECTED",
      "REVOCATION_FAILED",
      "CONNECTED",
      "RECONNECT_REQUIRED",
      "REFRESHED",
      "REFRESH_FAILED",
      "CONNECTED",
    ]);
    expect(events.find((e: any) => e.type === "REFRESHED").actorId).toBeNull();
    const all = JSON.stringify(events);
    for (const token of stack.emulator.dropbox.listTokens()) expect(all).not.toContain(token.token);
  });

  it("changes roles, never removing the last admin, and records it", async () => {
    const other = await signUpUser(stack.server);
    const setRole = (who: TestUser, userId: string, role: string) =>
      gql(stack.server, who, `mutation($u: ID!, $r: Role!) { setUserRole(userId: $u, role: $r) { __typename
        ... on User { role } ... on UserError { code message } } }`, { u: userId, r: role });
    const prisma = stack.server.server.database.prisma;
    const admins = await prisma.user.count({ where: { role: "ADMIN" } });
    expect(admins).toBe(1);
    expect((await setRole(admin, admin.id, "USER")).setUserRole).toMatchObject({ __typename: "LastAdminError", code: "LAST_ADMIN" });
    expect((await setRole(admin, other.id, "ADMIN")).setUserRole).toEqual({ __typename: "User", role: "ADMIN" });
    // Two admins demoting each other at once: one of them stays (the other request is refused
    // as the last admin, or as no longer an admin if it was authorized after the first commit).
    const demote = `mutation($u: ID!) { setUserRole(userId: $u, role: USER) { __typename } }`;
    const [a, b] = await Promise.all([raw(admin, demote, { u: other.id }), raw(other, demote, { u: admin.id })]);
    const outcomes = [a, b].map((r) => r.json.data?.setUserRole?.__typename ?? r.json.errors?.[0]?.extensions?.code);
    expect(outcomes.filter((o) => o === "User")).toHaveLength(1);
    expect(await prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
    const stillAdmin = (await prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } })).id;
    if (stillAdmin !== admin.id) await prisma.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const events = await prisma.integrationEvent.findMany({ where: { userId: other.id, type: "ROLE_CHANGED" } });
    expect(events.length).toBeGreaterThanOrEqual(1);
  });

  it("connects the system Spotify account through OAuth and uses it in the fallback chain", async () => {
    const start = (await gql(stack.server, admin, `mutation { startSystemSpotifyConnect { ... on ConnectStart { authorizationUrl } } }`))
      .startSystemSpotifyConnect;
    stack.emulator.spotify.setBrowserAccount("spotify-bob");
    const atProvider = await follow(start.authorizationUrl);
    const landed = await follow(atProvider.location!, admin.cookie);
    expect(new URL(landed.location!).searchParams.get("spotify")).toBe("connected");
    const system = (await gql(stack.server, admin, `{ systemIntegrations { provider status accountName } }`)).systemIntegrations;
    expect(system).toEqual([{ provider: "SPOTIFY", status: "CONNECTED", accountName: "Bob Listener" }]);
    // The admin's own Spotify is untouched.
    const own = (await gql(stack.server, admin, `{ me { integrations { provider status } } }`)).me.integrations;
    expect(own.find((i: any) => i.provider === "SPOTIFY").status).toBe("NOT_CONNECTED");
    const search = `{ spotifySearch(query: "Neon", type: ARTIST) { ... on SpotifySearchConnection { tokenSource } } }`;
    expect((await gql(stack.server, member, search)).spotifySearch.tokenSource).toBe("SYSTEM");
    await gql(stack.server, admin, `mutation { disconnectSystemSpotify { revoked } }`);
    expect((await gql(stack.server, member, search)).spotifySearch.tokenSource).toBe("APP");
  });

  it("lets a user connect Spotify for themselves while a system account exists", async () => {
    stack.emulator.spotify.setBrowserAccount("spotify-alice");
    expect((await connectSpotify(stack, member)).searchParams.get("spotify")).toBe("connected");
    await gql(stack.server, member, `mutation { disconnectSpotify { revoked } }`);
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
      const me = await gql(server, user, `{ me { role } }`);
      expect(me.me.role).toBe("ADMIN");
    } finally {
      await server.close();
    }
  }, 60_000);
});
