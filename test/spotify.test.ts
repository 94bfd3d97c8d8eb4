import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import {
  clientOf,
  connectSpotify,
  integrationOf,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { startTestServer } from "./support/server.js";
import { expectTypename } from "./support/typed.js";
import {
  DisconnectSpotifyDocument,
  SpotifyMyPlaylistsDocument,
  SpotifyPlaylistDocument,
  SpotifySearchDocument,
  SpotifyTracksDocument,
  StartSpotifyConnectDocument,
  type SpotifySearchQueryVariables,
} from "./generated/graphql/graphql.js";
import { ensureSystemUserId } from "../src/oauth/system-account.js";
import { openAccessToken, openRefreshToken, sealAccessToken, sealRefreshToken } from "../src/oauth/token-store.js";

const ALICE = "spotify-alice";
const HOUR = 3600_000;

describe.each(databaseModes())("Spotify (%s database)", (mode) => {
  let stack: DropboxStack;
  let user: TestUser;
  const tokenRequests: { authorization: string | null; body: string }[] = [];
  beforeAll(async () => {
    // Records what our server sends to the token endpoint, then passes the request on.
    const recordingFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/api/token")) {
        tokenRequests.push({ authorization: new Headers(init?.headers).get("authorization"), body: String(init?.body ?? "") });
      }
      return fetch(input, init);
    };
    stack = await startDropboxStack(mode, { serverOptions: { fetch: recordingFetch } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    stack.emulator.spotify.clearFaults();
    stack.emulator.spotify.setRotateRefreshTokens(false);
    stack.emulator.spotify.setBrowserAccount(ALICE);
    stack.server.clock.offsetMs = 0;
    user = await signUpUser(stack.server);
  });
  afterEach(async () => {
    stack.emulator.spotify.clearFaults();
    stack.server.clock.offsetMs = 0;
    await clientOf(stack.server, user).request(DisconnectSpotifyDocument);
  });

  const client = (who = user) => clientOf(stack.server, who);
  const search = async (variables: SpotifySearchQueryVariables, who = user) => (await client(who).request(SpotifySearchDocument, variables)).spotifySearch;
  /** A search that must answer results: the connection. */
  const searchPage = async (variables: SpotifySearchQueryVariables, who = user) =>
    expectTypename(await search(variables, who), "SpotifySearchConnection");
  const counts = () => stack.emulator.spotify.callCounts();
  const spotifyIntegration = (who = user) => integrationOf(stack.server, who, "SPOTIFY");

  it("connects, shows the account, and uses the user's token for catalog data", async () => {
    const landed = await connectSpotify(stack, user);
    expect(landed.searchParams.get("spotify")).toBe("connected");
    expect(await spotifyIntegration()).toMatchObject({ status: "CONNECTED", accountId: ALICE, accountName: "Alice Listener" });
    const result = await searchPage({ query: "Summer", type: "TRACK", first: 5 });
    expect(result.tokenSource).toBe("USER");
  });

  it("authenticates to Spotify's token endpoint with HTTP Basic, never with the secret in the body", async () => {
    await connectSpotify(stack, user);
    expect((await search({ query: "Echo", type: "ALBUM" })).__typename).toBe("SpotifySearchConnection");
    expect(tokenRequests.length).toBeGreaterThan(0);
    for (const request of tokenRequests) {
      expect(request.authorization).toMatch(/^Basic /);
      expect(request.body).not.toContain("client_secret");
    }
  });

  it("asks for PKCE S256 and only the playlist scopes", async () => {
    const { startSpotifyConnect } = await client().request(StartSpotifyConnectDocument);
    const url = new URL(expectTypename(startSpotifyConnect, "ConnectStart").authorizationUrl);
    expect(url.pathname).toBe("/authorize");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe(`${stack.server.url}/auth/spotify/callback`);
    expect(url.searchParams.get("scope")).toBe("playlist-read-private playlist-read-collaborative");
  });

  it("falls back to one shared app token (client credentials) and pages through search results", async () => {
    const before = counts()["token:client_credentials"] ?? 0;
    const pages = await Promise.all(Array.from({ length: 10 }, () => searchPage({ query: "summer", type: "TRACK", first: 5 })));
    expect(pages.every((p) => p.tokenSource === "APP")).toBe(true);
    expect((counts()["token:client_credentials"] ?? 0) - before).toBeLessThanOrEqual(1);

    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await searchPage({ query: "summer", type: "TRACK", first: 5, after });
      names.push(...page.edges.map((e) => e.node.name));
      expect(page.totalCount).toBe(15);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
    expect(names).toHaveLength(15);
    expect(new Set(names).size).toBe(15);
    expect(names.every((n) => n.toLowerCase().includes("summer"))).toBe(true);
  });

  it("uses the system account before the app token", async () => {
    // Link Bob's Spotify through the real flow, then hand the integration to the system user.
    const carrier = await signUpUser(stack.server);
    stack.emulator.spotify.setBrowserAccount("spotify-bob");
    await connectSpotify(stack, carrier);
    const prisma = stack.server.server.database.prisma;
    const systemUserId = await ensureSystemUserId(prisma);
    // Tokens are sealed to their owner, so moving them means re-sealing them.
    const { cipher } = stack.server.server.services;
    const row = await prisma.integration.findFirstOrThrow({ where: { userId: carrier.id, provider: "SPOTIFY" } });
    await prisma.integration.update({
      where: { id: row.id },
      data: {
        userId: systemUserId,
        accessTokenEnc: sealAccessToken(cipher, systemUserId, "SPOTIFY", openAccessToken(cipher, row)!),
        refreshTokenEnc: sealRefreshToken(cipher, systemUserId, "SPOTIFY", openRefreshToken(cipher, row)!),
      },
    });
    try {
      expect((await searchPage({ query: "Neon", type: "ARTIST" })).tokenSource).toBe("SYSTEM");
      // The system token stops working: the chain moves on to the app token.
      stack.emulator.spotify.revokeUserGrant("spotify-bob");
      stack.server.clock.advance(2 * HOUR);
      expect((await searchPage({ query: "Neon", type: "ARTIST" })).tokenSource).toBe("APP");
      // The chain is logged step by step, without secrets.
      const chain = stack.server.logs.map((line) => JSON.parse(line)).filter((l) => l.msg === "Spotify token fallback used");
      expect(chain.at(-1)).toMatchObject({ source: "APP", skipped: ["USER: unavailable", "SYSTEM: ReconnectRequiredError"] });
      const logText = stack.server.logs.join("\n");
      for (const token of stack.emulator.spotify.listTokens()) expect(logText).not.toContain(token.token);
    } finally {
      await prisma.integration.deleteMany({ where: { userId: systemUserId } });
    }
  });

  it("turns an expired six-month grant into RECONNECT_REQUIRED and keeps serving catalog data", async () => {
    await connectSpotify(stack, user);
    stack.emulator.spotify.revokeUserGrant(ALICE);
    stack.server.clock.advance(2 * HOUR);
    const result = await searchPage({ query: "Echo", type: "TRACK", first: 3 });
    expect(result.tokenSource).toBe("APP");
    const integration = await spotifyIntegration();
    expect(integration.status).toBe("RECONNECT_REQUIRED");
    expect(integration.lastError).toMatch(/six months/);
    expect(integration.lastError).toMatch(/Reconnect Spotify/);
    const mine = (await client().request(SpotifyMyPlaylistsDocument)).spotifyMyPlaylists;
    expect(mine).toEqual({
      __typename: "ReconnectRequiredError",
      code: "RECONNECT_REQUIRED",
      provider: "SPOTIFY",
      message: "Spotify access was revoked or has expired: reconnect Spotify",
    });
  });

  it.each([false, true])("refreshes with rotation %s, keeping or replacing the refresh token", async (rotate) => {
    stack.emulator.spotify.setRotateRefreshTokens(rotate);
    await connectSpotify(stack, user);
    const prisma = stack.server.server.database.prisma;
    const before = await prisma.integration.findFirstOrThrow({ where: { userId: user.id, provider: "SPOTIFY" } });
    stack.server.clock.advance(2 * HOUR);
    expect((await searchPage({ query: "Rain", type: "TRACK" })).tokenSource).toBe("USER");
    const after = await prisma.integration.findFirstOrThrow({ where: { userId: user.id, provider: "SPOTIFY" } });
    expect(after.refreshTokenEnc === before.refreshTokenEnc).toBe(!rotate);
    // The stored refresh token still works for the next refresh.
    stack.server.clock.advance(2 * HOUR);
    expect((await searchPage({ query: "Rain", type: "TRACK" })).tokenSource).toBe("USER");
    expect((await spotifyIntegration()).status).not.toBe("RECONNECT_REQUIRED");
  });

  it("reads the user's own playlists with their token only", async () => {
    const notConnected = (await client().request(SpotifyMyPlaylistsDocument)).spotifyMyPlaylists;
    expect(notConnected.__typename).toBe("NotConnectedError");
    await connectSpotify(stack, user);
    const mine = expectTypename((await client().request(SpotifyMyPlaylistsDocument, { first: 50 })).spotifyMyPlaylists, "SpotifyPlaylistConnection");
    expect(mine.tokenSource).toBe("USER");
    expect(mine.edges.map((e) => e.node.name)).toContain("Alice's Private Practice");
  });

  it("reads a playlist and pages its tracks", async () => {
    const found = await searchPage({ query: "Emulator Top", type: "PLAYLIST", first: 1 });
    const id = found.edges[0]!.node.id;
    const playlistPage = async (tracksAfter?: string | null) =>
      expectTypename((await client().request(SpotifyPlaylistDocument, { id, tracksFirst: 100, tracksAfter })).spotifyPlaylist, "SpotifyPlaylist");
    const playlist = await playlistPage();
    expect(playlist).toMatchObject({ name: "Emulator Top 120", trackCount: 120, tokenSource: "APP" });
    const first = expectTypename(playlist.tracks, "SpotifyTrackConnection");
    expect(first.edges).toHaveLength(100);
    const rest = expectTypename((await playlistPage(first.pageInfo.endCursor)).tracks, "SpotifyTrackConnection");
    expect(rest.edges).toHaveLength(20);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const missing = (await client().request(SpotifyPlaylistDocument, { id: "0000000000000000000000" })).spotifyPlaylist;
    expect(missing.__typename).toBe("SpotifyNotFoundError");
    const invalid = (await client().request(SpotifyPlaylistDocument, { id: "../me" })).spotifyPlaylist;
    expect(invalid.__typename).toBe("ValidationError");
  });

  it("batches track lookups onto the several-tracks endpoint, 50 ids per request", async () => {
    const ids: string[] = [];
    for (const q of ["Summer", "Electric", "Midnight", "Golden", "Broken"]) {
      const page = await searchPage({ query: q, type: "TRACK", first: 15 });
      ids.push(...page.edges.map((e) => e.node.id));
    }
    expect(ids.length).toBeGreaterThanOrEqual(60);
    const asked = [...ids.slice(0, 59), "0000000000000000000000"];
    const before = counts().tracks ?? 0;
    const batch = expectTypename((await client().request(SpotifyTracksDocument, { ids: asked })).spotifyTracks, "SpotifyTrackBatch");
    expect((counts().tracks ?? 0) - before).toBe(2);
    expect(batch.tracks).toHaveLength(60);
    expect(batch.tracks.slice(0, 59).map((t) => t?.id)).toEqual(ids.slice(0, 59));
    expect(batch.tracks[59]).toBeNull();
  });

  it("waits out a short Retry-After, and reports a long one as a typed error", async () => {
    stack.emulator.spotify.injectFault({ endpoint: "search", kind: "rate_limited", retryAfterSeconds: 1 });
    expect((await search({ query: "Waves", type: "TRACK" })).__typename).toBe("SpotifySearchConnection");
    stack.emulator.spotify.injectFault({ endpoint: "search", kind: "rate_limited", retryAfterSeconds: 30 });
    const limited = await search({ query: "Waves", type: "TRACK" });
    expect(limited).toMatchObject({ __typename: "SpotifyRateLimitedError", retryAfterSeconds: 30, code: "RATE_LIMITED" });
    expect(expectTypename(limited, "SpotifyRateLimitedError").message).toMatch(/retry after 30 s/);
  });

  it.each<[SpotifySearchQueryVariables, RegExp]>([
    [{ query: "", type: "TRACK" }, /query must not be empty/],
    [{ query: "x".repeat(201), type: "TRACK" }, /at most 200/],
    [{ query: "x", type: "TRACK", first: 51 }, /between 1 and 50/],
    [{ query: "x", type: "TRACK", after: "bogus" }, /cursor from a previous page/],
  ])("validates search input %#", async (variables, message) => {
    const result = await search(variables);
    expect(result.__typename).toBe("ValidationError");
    expect(expectTypename(result, "ValidationError").message).toMatch(message);
  });

  it("disconnects by forgetting the tokens and says Spotify cannot revoke", async () => {
    await connectSpotify(stack, user);
    const result = (await client().request(DisconnectSpotifyDocument)).disconnectSpotify;
    expect(result.revoked).toBe(false);
    expect(result.integration.status).toBe("NOT_CONNECTED");
    expect(result.message).toMatch(/remove the app in your Spotify account settings/);
    const row = await stack.server.server.database.prisma.integration.findFirstOrThrow({ where: { userId: user.id, provider: "SPOTIFY" } });
    expect([row.accessTokenEnc, row.refreshTokenEnc]).toEqual([null, null]);
  });
});

describe("Spotify not configured", () => {
  it("answers a clear error", async () => {
    const server = await startTestServer("embedded");
    try {
      const user = await signUpUser(server);
      const result = (await clientOf(server, user).request(SpotifySearchDocument, { query: "x", type: "TRACK" })).spotifySearch;
      expect(result).toEqual({
        __typename: "ProviderNotConfiguredError",
        message: "Spotify is not configured on this server",
        code: "PROVIDER_NOT_CONFIGURED",
        provider: "SPOTIFY",
      });
    } finally {
      await server.close();
    }
  });
});
