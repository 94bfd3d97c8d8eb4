import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emulatorOptionsFromEnv, startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import {
  ALICE,
  api,
  appToken,
  authorizeUrl,
  BOB,
  consent,
  control,
  login,
  pkce,
  SPOTIFY_CLIENT,
  SPOTIFY_REDIRECT,
  tokenRequest,
} from "./spotify-helpers.js";

const START = Date.UTC(2026, 0, 1);
const SIX_MONTHS_MS = 15_552_000 * 1000;
let now = START;
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startProviderEmulator({ spotify: { clients: [SPOTIFY_CLIENT] }, clock: () => now });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.spotify.reset();
  now = START;
});

async function refresh(refreshToken: string) {
  return tokenRequest(emu, { grant_type: "refresh_token", refresh_token: refreshToken });
}

/** The id of a playlist found through search, so tests do not hard-code generated ids. */
async function playlistId(token: string, name: string): Promise<string> {
  const { body } = await api(emu, `/v1/search?type=playlist&q=${encodeURIComponent(`"${name}"`)}`, token);
  const id = body.playlists.items.find((item: { name: string }) => item.name === name)?.id;
  if (!id) throw new Error(`no playlist ${name}`);
  return id;
}

describe("authorize", () => {
  it("shows a consent page with Agree / Cancel for the signed-in account", async () => {
    const res = await fetch(authorizeUrl(emu, { code_challenge: pkce().challenge, code_challenge_method: "S256" }));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("Quizzical Beats (test)");
    expect(html).toContain("Alice Listener");
    expect(html).toContain("<li>user-read-email</li>");
    expect(html).toContain(">Agree</button>");
    expect(html).toContain(">Cancel</button>");
    expect(emu.spotify.listPendingConsents()).toMatchObject([{ accountId: ALICE, pkce: true, state: "st-42" }]);
  });

  it("sends Cancel back as error=access_denied with the state", async () => {
    const redirect = await consent(emu, {}, "deny");
    expect(`${redirect.origin}${redirect.pathname}`).toBe(SPOTIFY_REDIRECT);
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    expect(redirect.searchParams.get("state")).toBe("st-42");
    expect(redirect.searchParams.get("code")).toBeNull();
  });

  it.each([
    ["a localhost redirect URI", { redirect_uri: "http://localhost:9/auth/spotify/callback" }, "Insecure redirect URI"],
    ["plain HTTP off loopback", { redirect_uri: "http://quiz.example/auth/spotify/callback" }, "Insecure redirect URI"],
    ["an unregistered redirect URI", { redirect_uri: `${SPOTIFY_REDIRECT}/x` }, "INVALID_CLIENT: Invalid redirect URI"],
    ["an unknown client", { client_id: "nope" }, "INVALID_CLIENT: Invalid client"],
  ])("refuses %s with a 400 page, never a redirect", async (_name, params, message) => {
    const res = await fetch(authorizeUrl(emu, params), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain(message);
  });

  it("refuses localhost even when the client registered it", async () => {
    const localhost = "http://localhost:5000/auth/spotify/callback";
    const other = await startProviderEmulator({
      spotify: { clients: [{ ...SPOTIFY_CLIENT, redirectUris: [localhost] }] },
    });
    try {
      const res = await fetch(authorizeUrl(other, { redirect_uri: localhost }), { redirect: "manual" });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("INVALID_CLIENT: Insecure redirect URI");
    } finally {
      await other.close();
    }
  });

  it("accepts any port for a loopback URI registered without one", async () => {
    const redirect = await consent(emu, { redirect_uri: "http://127.0.0.1:61234/auth/spotify/any-port" });
    expect(redirect.port).toBe("61234");
    expect(redirect.searchParams.get("code")).toBeTruthy();
  });

  it.each([
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["an unknown scope", { scope: "user-read-everything" }, "invalid_scope"],
    ["plain PKCE", { code_challenge: pkce().challenge, code_challenge_method: "plain" }, "invalid_request"],
  ])("redirects %s back as an OAuth error", async (_name, params, error) => {
    const res = await fetch(authorizeUrl(emu, params), { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe(error);
    expect(location.searchParams.get("state")).toBe("st-42");
  });

  it("auto-approves as the browser-signed-in account", async () => {
    emu.spotify.setAutoApprove(true);
    emu.spotify.setBrowserAccount(BOB);
    const res = await fetch(authorizeUrl(emu, {}), { redirect: "manual" });
    expect(res.status).toBe(302);
    const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const { body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code,
      redirect_uri: SPOTIFY_REDIRECT,
    });
    expect((await api(emu, "/v1/me", body.access_token as string)).body.id).toBe(BOB);
  });

  it("skips the page once approved unless show_dialog=true, and asks again after revocation", async () => {
    await login(emu);
    const again = await fetch(authorizeUrl(emu, {}), { redirect: "manual" });
    expect(again.status).toBe(302);
    expect(new URL(again.headers.get("location") ?? "").searchParams.get("code")).toBeTruthy();
    expect((await fetch(authorizeUrl(emu, { show_dialog: "true" }))).status).toBe(200);
    const wider = await fetch(authorizeUrl(emu, { scope: "user-top-read" }), { redirect: "manual" });
    expect(wider.status).toBe(200); // a scope not yet approved needs the page

    emu.spotify.revokeUserGrant(ALICE);
    expect((await fetch(authorizeUrl(emu, {}), { redirect: "manual" })).status).toBe(200);
  });
});

describe("token endpoint", () => {
  it("exchanges a PKCE code for Spotify-shaped tokens", async () => {
    const { tokens } = await login(emu);
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "user-read-email user-read-private playlist-read-private playlist-read-collaborative",
    });
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "refresh_token", "scope", "token_type"]);
    expect(tokens.access_token).toMatch(/^BQ/);
    expect(tokens.refresh_token).toMatch(/^AQ/);
  });

  it("exchanges a code without PKCE (confidential client), with credentials in the body", async () => {
    const redirect = await consent(emu, {});
    const { status, body } = await tokenRequest(
      emu,
      {
        grant_type: "authorization_code",
        code: redirect.searchParams.get("code") ?? "",
        redirect_uri: SPOTIFY_REDIRECT,
      },
      "body",
    );
    expect(status).toBe(200);
    expect(body.refresh_token).toBeTruthy();
  });

  describe("binds the code to its PKCE challenge", () => {
    it.each([
      ["a wrong verifier", true, () => pkce().verifier],
      ["a missing verifier", true, () => null],
      ["a verifier without a challenge", false, () => pkce().verifier],
    ])("refuses %s", async (_name, withChallenge, verifier) => {
      const { challenge } = pkce();
      const redirect = await consent(
        emu,
        withChallenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {},
      );
      const presented = verifier();
      const { status, body } = await tokenRequest(emu, {
        grant_type: "authorization_code",
        code: redirect.searchParams.get("code") ?? "",
        redirect_uri: SPOTIFY_REDIRECT,
        ...(presented === null ? {} : { code_verifier: presented }),
      });
      expect(status).toBe(400);
      expect(body).toEqual({ error: "invalid_grant", error_description: "code_verifier was incorrect" });
    });
  });

  it("refuses a mismatched redirect_uri", async () => {
    const redirect = await consent(emu, {});
    const { status, body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: "http://127.0.0.1:9/elsewhere",
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_grant", error_description: "Invalid redirect URI" });
  });

  it("makes codes single use: a replay fails and revokes what the code gave", async () => {
    const redirect = await consent(emu, {});
    const exchange = () =>
      tokenRequest(emu, {
        grant_type: "authorization_code",
        code: redirect.searchParams.get("code") ?? "",
        redirect_uri: SPOTIFY_REDIRECT,
      });
    const first = await exchange();
    expect(first.status).toBe(200);
    expect((await exchange()).body).toEqual({
      error: "invalid_grant",
      error_description: "Invalid authorization code",
    });
    expect((await api(emu, "/v1/me", first.body.access_token as string)).status).toBe(401);
  });

  it("expires codes after ten minutes", async () => {
    const redirect = await consent(emu, {});
    now += 10 * 60 * 1000;
    const { body } = await tokenRequest(emu, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code") ?? "",
      redirect_uri: SPOTIFY_REDIRECT,
    });
    expect(body.error).toBe("invalid_grant");
  });

  it.each([
    ["a wrong secret", "basic", "wrong", "Invalid client secret"],
    ["no credentials", "none", undefined, "Invalid client"],
  ] as const)("answers %s with 400 invalid_client", async (_name, auth, secret, description) => {
    const { status, body } = await tokenRequest(emu, { grant_type: "client_credentials" }, auth, secret);
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_client", error_description: description });
  });

  it("refuses unknown and missing grant types", async () => {
    expect((await tokenRequest(emu, { grant_type: "password" })).body.error).toBe("unsupported_grant_type");
    expect((await tokenRequest(emu, {})).body.error).toBe("unsupported_grant_type");
  });

  it("without rotation: refresh gives an access token only and the refresh token keeps working", async () => {
    const { refreshToken } = await login(emu);
    const first = await refresh(refreshToken);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect((await api(emu, "/v1/me", first.body.access_token as string)).status).toBe(200);
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it("with rotation: each refresh returns a new refresh token and the old one is revoked", async () => {
    emu.spotify.setRotateRefreshTokens(true);
    const { refreshToken } = await login(emu);
    const first = await refresh(refreshToken);
    const rotated = first.body.refresh_token as string;
    expect(rotated).toMatch(/^AQ/);
    expect(rotated).not.toBe(refreshToken);
    expect(await refresh(refreshToken)).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "Refresh token revoked" },
    });
    const second = await refresh(rotated);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(rotated);
    const refreshTokens = emu.spotify.listTokens().filter((token) => token.kind === "refresh");
    expect(refreshTokens.map((token) => token.revoked)).toEqual([true, true, false]);
  });

  it("honours rotateRefreshTokens from the options", async () => {
    const rotating = await startProviderEmulator({ spotify: { clients: [SPOTIFY_CLIENT], rotateRefreshTokens: true } });
    try {
      const { refreshToken } = await login(rotating);
      const { body } = await tokenRequest(rotating, { grant_type: "refresh_token", refresh_token: refreshToken });
      expect(body.refresh_token).toBeTruthy();
    } finally {
      await rotating.close();
    }
  });

  it("ends a refresh token six months after it was issued", async () => {
    const { refreshToken } = await login(emu);
    expect(emu.spotify.listTokens().find((token) => token.token === refreshToken)?.expiresAt).toBe(
      START + SIX_MONTHS_MS,
    );
    now = START + SIX_MONTHS_MS - 1000;
    expect((await refresh(refreshToken)).status).toBe(200);
    now = START + SIX_MONTHS_MS;
    expect(await refresh(refreshToken)).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: "Refresh token revoked" },
    });
  });

  it("gives a rotated refresh token a fresh lifetime", async () => {
    emu.spotify.setRotateRefreshTokens(true);
    const { refreshToken } = await login(emu);
    now = START + SIX_MONTHS_MS - 1000;
    const rotated = (await refresh(refreshToken)).body.refresh_token as string;
    now = START + SIX_MONTHS_MS + 1000;
    expect((await refresh(rotated)).status).toBe(200);
  });

  it("issues app tokens by client credentials", async () => {
    const { status, body } = await tokenRequest(emu, { grant_type: "client_credentials" });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(emu.spotify.listTokens()).toMatchObject([{ kind: "app", accountId: null, grantId: null, revoked: false }]);
  });
});

describe("Web API authentication", () => {
  it("answers missing, unknown, malformed and expired tokens as Spotify does", async () => {
    const { accessToken } = await login(emu);
    const missing = await api(emu, "/v1/me", null);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { status: 401, message: "No token provided" } });
    expect((await api(emu, "/v1/me", "nope")).body.error.message).toBe("Invalid access token");
    const basic = await fetch(new URL("/v1/me", emu.url), { headers: { authorization: "Basic Zm9vOmJhcg==" } });
    expect(basic.status).toBe(400);

    now += 3600 * 1000;
    const expired = await api(emu, "/v1/me", accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { status: 401, message: "The access token expired" } });
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses an app token on /v1/me and /v1/me/playlists but serves the catalog", async () => {
    const token = await appToken(emu);
    for (const path of ["/v1/me", "/v1/me/playlists"]) {
      const res = await api(emu, path, token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { status: 401, message: "This request requires user authentication." } });
    }
    expect((await api(emu, "/v1/search?q=summer&type=track", token)).status).toBe(200);
    expect((await api(emu, `/v1/playlists/${await playlistId(token, "Emulator Top 120")}`, token)).status).toBe(200);
  });

  it("revokeUserGrant kills the user's access and refresh tokens", async () => {
    const { accessToken, refreshToken } = await login(emu);
    expect(emu.spotify.revokeUserGrant(ALICE)).toEqual({ revokedGrants: 1 });
    expect((await api(emu, "/v1/me", accessToken)).body.error.message).toBe("Invalid access token");
    expect((await refresh(refreshToken)).body.error).toBe("invalid_grant");
  });

  it("expireAccessTokens and setAccessTokenTtl drive expiry without a clock", async () => {
    emu.spotify.setAccessTokenTtl(60);
    const { accessToken, tokens } = await login(emu);
    expect(tokens.expires_in).toBe(60);
    const app = await appToken(emu);
    emu.spotify.expireAccessTokens();
    expect((await api(emu, "/v1/me", accessToken)).body.error.message).toBe("The access token expired");
    expect((await api(emu, "/v1/tracks?ids=", app)).body.error.message).toBe("The access token expired");
  });
});

describe("Web API", () => {
  it("GET /v1/me shows email only with user-read-email and product/country only with user-read-private", async () => {
    const full = await api(emu, "/v1/me", (await login(emu)).accessToken);
    expect(full.body).toMatchObject({
      id: ALICE,
      display_name: "Alice Listener",
      email: "alice@example.com",
      product: "premium",
      country: "GB",
      type: "user",
      uri: "spotify:user:spotify-alice",
    });
    const bare = await api(emu, "/v1/me", (await login(emu, { scope: "user-top-read" })).accessToken);
    expect(bare.body.display_name).toBe("Alice Listener");
    expect(bare.body).not.toHaveProperty("email");
    expect(bare.body).not.toHaveProperty("product");
  });

  it("search pages through every match with Spotify paging objects", async () => {
    const token = await appToken(emu);
    const seen: string[] = [];
    let next: string | null = "/v1/search?q=SUMMER&type=track&limit=4";
    let previous: string | null = null;
    while (next !== null) {
      const { status, body } = await api(emu, next, token);
      expect(status).toBe(200);
      const page = body.tracks;
      expect(page).toMatchObject({ total: 15, limit: 4 });
      expect(page.href).toContain(`offset=${page.offset}`);
      if (page.offset > 0) expect(page.previous).toContain(`offset=${page.offset - 4}`);
      seen.push(...page.items.map((track: { name: string }) => track.name));
      previous = page.previous;
      next = page.next;
    }
    expect(previous).not.toBeNull();
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(seen.every((name) => name.startsWith("Summer"))).toBe(true);
  });

  it("search returns well-formed track objects and several types at once", async () => {
    const token = await appToken(emu);
    const { body } = await api(emu, "/v1/search?q=neon%20harbor&type=track,artist,album&limit=50", token);
    const track = body.tracks.items.find((item: { artists: unknown[] }) => item.artists.length === 1);
    expect(track).toMatchObject({
      id: expect.stringMatching(/^[0-9A-Za-z]{22}$/),
      name: expect.any(String),
      uri: `spotify:track:${track.id}`,
      duration_ms: expect.any(Number),
      explicit: expect.any(Boolean),
      popularity: expect.any(Number),
      artists: [{ id: expect.any(String), name: "Neon Harbor" }],
      album: { id: expect.any(String), name: expect.any(String), images: expect.any(Array) },
    });
    expect(track).toHaveProperty("preview_url");
    expect(track.album.images).toHaveLength(3);
    expect(body.tracks.total).toBe(11); // ten of its own plus one featuring it
    expect(body.artists.items.map((artist: { name: string }) => artist.name)).toEqual(["Neon Harbor"]);
    expect(body.albums.total).toBe(2);
    expect(body).not.toHaveProperty("playlists");
  });

  it("search folds accents and understands field filters", async () => {
    const token = await appToken(emu);
    const accented = await api(emu, "/v1/search?q=cafe%20aurora&type=artist", token);
    expect(accented.body.artists.items[0].name).toBe("Café Aurora");
    const q = encodeURIComponent('track:"summer love" artist:quiz');
    const filtered = await api(emu, `/v1/search?q=${q}&type=track`, token);
    expect(filtered.body.tracks.items.map((track: { name: string }) => track.name)).toEqual(["Summer Love"]);
    const isrc = await api(emu, "/v1/search?q=isrc:QZEMU2600001&type=track", token);
    expect(isrc.body.tracks.total).toBe(1);
  });

  it.each([
    ["limit=0", "q=love&type=track&limit=0", "Invalid limit"],
    ["limit=51", "q=love&type=track&limit=51", "Invalid limit"],
    ["offset=1001", "q=love&type=track&offset=1001", "Invalid offset"],
    ["no q", "type=track", "No search query"],
    ["no type", "q=love", "Missing parameter type"],
    ["a bad type", "q=love&type=episode", "Bad search type field episode"],
  ])("search refuses %s with 400", async (_name, query, message) => {
    const { status, body } = await api(emu, `/v1/search?${query}`, await appToken(emu));
    expect(status).toBe(400);
    expect(body).toEqual({ error: { status: 400, message } });
  });

  it("the catalog has at least 120 tracks, with and without previews", async () => {
    const token = await appToken(emu);
    const id = await playlistId(token, "Emulator Top 120");
    const first = await api(emu, `/v1/playlists/${id}/tracks`, token);
    const second = await api(emu, first.body.next, token);
    const tracks = [...first.body.items, ...second.body.items].map((item: { track: any }) => item.track);
    expect(tracks).toHaveLength(120);
    expect(new Set(tracks.map((track) => track.id)).size).toBe(120);
    expect(tracks.some((track) => track.preview_url === null)).toBe(true);
    expect(tracks.some((track) => typeof track.preview_url === "string")).toBe(true);
  });

  it("GET /v1/tracks/{id} and the batch form", async () => {
    const token = await appToken(emu);
    const { body } = await api(emu, "/v1/search?q=golden&type=track&limit=3", token);
    const ids: string[] = body.tracks.items.map((track: { id: string }) => track.id);
    const single = await api(emu, `/v1/tracks/${ids[0]}`, token);
    expect(single.body).toMatchObject({ id: ids[0], type: "track" });
    expect((await api(emu, "/v1/tracks/0000000000000000000000", token)).status).toBe(404);
    expect((await api(emu, "/v1/tracks/not-an-id", token)).body.error.message).toBe("Invalid base62 id");

    const batch = await api(emu, `/v1/tracks?ids=${ids[0]},0000000000000000000000,${ids[1]}`, token);
    expect(batch.body.tracks.map((track: { id: string } | null) => track?.id ?? null)).toEqual([ids[0], null, ids[1]]);
  });

  it("the tracks batch takes at most 50 ids", async () => {
    const token = await appToken(emu);
    const fifty = Array.from({ length: 50 }, () => "0000000000000000000000").join(",");
    const ok = await api(emu, `/v1/tracks?ids=${fifty}`, token);
    expect(ok.body.tracks).toHaveLength(50);
    const tooMany = await api(emu, `/v1/tracks?ids=${fifty},0000000000000000000000`, token);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe("Too many ids requested");
  });

  it("GET /v1/playlists/{id} embeds the first 100 items and /tracks pages the rest", async () => {
    const token = await appToken(emu);
    const id = await playlistId(token, "Emulator Top 120");
    const { body } = await api(emu, `/v1/playlists/${id}`, token);
    expect(body).toMatchObject({ id, name: "Emulator Top 120", type: "playlist", owner: { id: "spotify" } });
    expect(body.tracks).toMatchObject({ total: 120, limit: 100, offset: 0, previous: null });
    expect(body.tracks.items).toHaveLength(100);
    expect(body.tracks.items[0]).toMatchObject({
      added_at: expect.any(String),
      is_local: false,
      track: { type: "track" },
    });

    const rest = await api(emu, body.tracks.next, token);
    expect(rest.body).toMatchObject({ offset: 100, next: null });
    expect(rest.body.items).toHaveLength(20);
    const paged = await api(emu, `/v1/playlists/${id}/tracks?limit=7&offset=14`, token);
    expect(paged.body.items[0].track.id).toBe(body.tracks.items[14].track.id);
    expect((await api(emu, `/v1/playlists/${id}/tracks?limit=101`, token)).body.error.message).toBe("Invalid limit");
    expect((await api(emu, "/v1/playlists/0000000000000000000000", token)).status).toBe(404);
  });

  it("GET /v1/me/playlists pages the user's library and hides private ones without the scope", async () => {
    const { accessToken } = await login(emu);
    const all = await api(emu, "/v1/me/playlists?limit=50", accessToken);
    expect(all.body.total).toBe(6);
    expect(all.body.items.map((list: { name: string }) => list.name)).toEqual([
      "Alice Listener's Quiz Mix",
      "Alice's Private Practice",
      "Party Queue (Alice)",
      "Empty Crate",
      "Emulator Top 120",
      "Quiz Night Classics",
    ]);
    const page = await api(emu, "/v1/me/playlists?limit=4&offset=4", accessToken);
    expect(page.body).toMatchObject({ total: 6, offset: 4, next: null });
    expect(page.body.previous).toContain("offset=0");
    const empty = all.body.items[3];
    expect((await api(emu, empty.tracks.href, accessToken)).body).toMatchObject({ total: 0, items: [] });

    const { accessToken: narrow } = await login(emu, { scope: "user-read-email" });
    const visible = await api(emu, "/v1/me/playlists", narrow);
    expect(visible.body.items.every((list: { public: boolean }) => list.public)).toBe(true);
    expect(visible.body.total).toBe(4);
  });
});

describe("faults and call counts", () => {
  it("rate_limited answers 429 with Retry-After and Spotify's body, then recovers", async () => {
    const token = await appToken(emu);
    emu.spotify.injectFault({ endpoint: "search", kind: "rate_limited", retryAfterSeconds: 7 });
    const limited = await api(emu, "/v1/search?q=love&type=track", token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.body).toEqual({ error: { status: 429, message: "API rate limit exceeded" } });
    expect((await api(emu, "/v1/search?q=love&type=track", token)).status).toBe(200);
  });

  it("http500: JSON on the Web API, text on the token endpoint", async () => {
    const token = await appToken(emu);
    emu.spotify.injectFault({ endpoint: "me", kind: "http500" });
    emu.spotify.injectFault({ endpoint: "token", kind: "http500" });
    const res = await fetch(new URL("/v1/me", emu.url), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { status: 500, message: "Server error." } });
    const tokenRes = await fetch(new URL("/api/token", emu.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(tokenRes.status).toBe(500);
  });

  it("timeout never answers", async () => {
    emu.spotify.injectFault({ endpoint: "playlist", kind: "timeout" });
    const request = fetch(new URL("/v1/playlists/0000000000000000000000", emu.url), {
      signal: AbortSignal.timeout(200),
    });
    await expect(request).rejects.toThrow();
  });

  it("malformed answers 200 with a body that is not JSON", async () => {
    emu.spotify.injectFault({ endpoint: "playlist_tracks", kind: "malformed" });
    const res = await fetch(new URL("/v1/playlists/0000000000000000000000/tracks", emu.url));
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it("invalid_grant on token:refresh_token hits only refreshes", async () => {
    const { refreshToken } = await login(emu);
    emu.spotify.injectFault({ endpoint: "token:refresh_token", kind: "invalid_grant" });
    expect((await tokenRequest(emu, { grant_type: "client_credentials" })).status).toBe(200);
    expect((await refresh(refreshToken)).body.error).toBe("invalid_grant");
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it("unauthorized: 401 on the Web API, invalid_client on the token endpoint", async () => {
    const { accessToken } = await login(emu);
    emu.spotify.injectFault({ endpoint: "my_playlists", kind: "unauthorized" });
    emu.spotify.injectFault({ endpoint: "token:client_credentials", kind: "unauthorized" });
    const res = await api(emu, "/v1/me/playlists", accessToken);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("Invalid access token");
    expect((await tokenRequest(emu, { grant_type: "client_credentials" })).body.error).toBe("invalid_client");
  });

  it("reset drops the connection", async () => {
    emu.spotify.injectFault({ endpoint: "tracks", kind: "reset" });
    await expect(fetch(new URL("/v1/tracks/0000000000000000000000", emu.url))).rejects.toThrow();
  });

  it("a fault on plain token hits any grant type; times counts down", async () => {
    const { refreshToken } = await login(emu);
    emu.spotify.injectFault({ endpoint: "token", kind: "invalid_grant", times: 2 });
    expect(emu.spotify.listFaults()).toEqual([
      { endpoint: "token", kind: "invalid_grant", remaining: 2, retryAfterSeconds: 1 },
    ]);
    expect((await tokenRequest(emu, { grant_type: "client_credentials" })).status).toBe(400);
    expect((await refresh(refreshToken)).status).toBe(400);
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it("refuses faults that do not apply", () => {
    expect(() => emu.spotify.injectFault({ endpoint: "me", kind: "invalid_grant" })).toThrow(/does not apply/);
    expect(() => emu.spotify.injectFault({ endpoint: "albums", kind: "http500" })).toThrow(/unknown endpoint/);
  });

  it("counts calls per endpoint key and per grant type", async () => {
    const { accessToken, refreshToken } = await login(emu);
    await refresh(refreshToken);
    await appToken(emu);
    await api(emu, "/v1/me", accessToken);
    await api(emu, "/v1/tracks/0000000000000000000000", accessToken);
    await api(emu, "/v1/tracks?ids=0000000000000000000000", accessToken);
    expect(emu.spotify.callCounts()).toEqual({
      authorize: 1,
      me: 1,
      token: 3,
      "token:authorization_code": 1,
      "token:client_credentials": 1,
      "token:refresh_token": 1,
      tracks: 2,
    });
    emu.spotify.resetCallCounts();
    expect(emu.spotify.callCounts()).toEqual({});
  });
});

describe("control over HTTP", () => {
  it("lists providers on the shared health endpoint", async () => {
    const res = await fetch(new URL("/__emulator/health", emu.url));
    expect(await res.json()).toEqual({ ok: true, providers: ["dropbox", "spotify"] });
  });

  it("injects, lists and clears faults; reads and resets call counts", async () => {
    const fault = { endpoint: "search", kind: "rate_limited", retryAfterSeconds: 3 };
    expect(await control(emu, "POST", "/faults", fault)).toEqual({ status: 200, body: { ok: true } });
    expect((await control(emu, "GET", "/faults")).body).toEqual([{ ...fault, remaining: 1 }]);
    expect((await control(emu, "POST", "/faults", { endpoint: "me", kind: "invalid_grant" })).status).toBe(400);
    expect((await control(emu, "DELETE", "/faults")).body).toEqual({ ok: true });
    expect((await control(emu, "GET", "/faults")).body).toEqual([]);

    await appToken(emu);
    expect((await control(emu, "GET", "/calls")).body).toEqual({ token: 1, "token:client_credentials": 1 });
    await control(emu, "DELETE", "/calls");
    expect((await control(emu, "GET", "/calls")).body).toEqual({});
  });

  it("lists and expires tokens", async () => {
    const { accessToken } = await login(emu);
    await appToken(emu);
    const tokens = (await control(emu, "GET", "/tokens")).body;
    expect(tokens.map((token: { kind: string; accountId: string | null }) => [token.kind, token.accountId])).toEqual([
      ["access", ALICE],
      ["refresh", ALICE],
      ["app", null],
    ]);
    expect(tokens[0]).toMatchObject({ issuedAt: START, expiresAt: START + 3600_000, revoked: false });
    await control(emu, "POST", "/tokens/expire");
    expect((await api(emu, "/v1/me", accessToken)).body.error.message).toBe("The access token expired");
  });

  it("decides consents, switches the browser account and auto-approve", async () => {
    expect((await control(emu, "PUT", "/browser-account", { accountId: BOB })).body).toEqual({ ok: true });
    expect((await control(emu, "PUT", "/browser-account", { accountId: "spotify-carol" })).status).toBe(400);
    await fetch(authorizeUrl(emu, {}));
    const [pending] = (await control(emu, "GET", "/consents")).body;
    expect(pending).toMatchObject({ accountId: BOB, clientId: SPOTIFY_CLIENT.clientId, pkce: false });
    const decided = await control(emu, "POST", "/consents/decide", { requestId: pending.requestId, decision: "allow" });
    expect(new URL(decided.body.location).searchParams.get("code")).toBeTruthy();
    expect(
      (await control(emu, "POST", "/consents/decide", { requestId: pending.requestId, decision: "allow" })).status,
    ).toBe(400);

    await control(emu, "PUT", "/auto-approve", { enabled: true });
    expect((await fetch(authorizeUrl(emu, { show_dialog: "true" }), { redirect: "manual" })).status).toBe(302);
  });

  it("sets rotation and the access token lifetime, revokes grants and resets", async () => {
    await control(emu, "PUT", "/rotate-refresh-tokens", { enabled: true });
    await control(emu, "PUT", "/access-token-ttl", { seconds: 120 });
    expect((await control(emu, "PUT", "/access-token-ttl", { seconds: 0 })).status).toBe(400);
    const { tokens, refreshToken } = await login(emu);
    expect(tokens.expires_in).toBe(120);
    expect((await refresh(refreshToken)).body.refresh_token).toBeTruthy();

    expect((await control(emu, "POST", "/grants/revoke", { accountId: ALICE })).body).toEqual({ revokedGrants: 1 });
    expect((await control(emu, "POST", "/reset")).body).toEqual({ ok: true });
    expect(emu.spotify.listTokens()).toEqual([]);
    const fresh = await login(emu);
    expect(fresh.tokens.expires_in).toBe(3600);
    expect((await refresh(fresh.refreshToken)).body).not.toHaveProperty("refresh_token");
  });
});

describe("environment (npm run emulator)", () => {
  it("registers the dev client on 127.0.0.1 by default", () => {
    expect(emulatorOptionsFromEnv({}).spotify).toEqual({
      clients: [
        {
          clientId: "dev-spotify-id",
          clientSecret: "dev-spotify-secret",
          redirectUris: ["http://127.0.0.1:5000/auth/spotify/callback"],
        },
      ],
      autoApprove: false,
      rotateRefreshTokens: false,
    });
  });

  it("reads SPOTIFY_* and EMULATOR_SPOTIFY_ROTATE", () => {
    const options = emulatorOptionsFromEnv({
      SPOTIFY_CLIENT_ID: "id",
      SPOTIFY_CLIENT_SECRET: "secret",
      SPOTIFY_REDIRECT_URI: "http://127.0.0.1:7000/cb",
      EMULATOR_SPOTIFY_ROTATE: "true",
      EMULATOR_AUTO_APPROVE: "true",
    });
    expect(options.spotify).toEqual({
      clients: [{ clientId: "id", clientSecret: "secret", redirectUris: ["http://127.0.0.1:7000/cb"] }],
      autoApprove: true,
      rotateRefreshTokens: true,
    });
    expect(() => emulatorOptionsFromEnv({ EMULATOR_SPOTIFY_ROTATE: "yes" })).toThrow(/EMULATOR_SPOTIFY_ROTATE/);
  });
});
