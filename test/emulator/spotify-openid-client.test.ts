import * as oidc from "openid-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ALICE, api, SCOPES, SPOTIFY_CLIENT, SPOTIFY_REDIRECT } from "./spotify-helpers.js";

// The Spotify integration will talk to the accounts service through openid-client v6; prove
// the emulator passes its response checks for every grant the integration uses.
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startProviderEmulator({ spotify: { clients: [SPOTIFY_CLIENT], autoApprove: true } });
});
afterAll(() => emu.close());
beforeEach(() => emu.spotify.reset());

function configuration(auth: oidc.ClientAuth): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: "https://accounts.spotify.com",
      authorization_endpoint: `${emu.url}/authorize`,
      token_endpoint: `${emu.url}/api/token`,
    },
    SPOTIFY_CLIENT.clientId,
    undefined,
    auth,
  );
  oidc.allowInsecureRequests(config);
  return config;
}

async function authorizationCode(config: oidc.Configuration) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizeUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: SPOTIFY_REDIRECT,
    scope: SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
  });
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  const callback = new URL(res.headers.get("location") ?? "");
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

describe.each([
  ["client_secret_basic", oidc.ClientSecretBasic(SPOTIFY_CLIENT.clientSecret)],
  ["client_secret_post", oidc.ClientSecretPost(SPOTIFY_CLIENT.clientSecret)],
])("openid-client with %s", (_name, auth) => {
  it("exchanges the code, and refreshes without rotation", async () => {
    const config = configuration(auth);
    const tokens = await authorizationCode(config);
    expect(tokens.token_type).toMatch(/^bearer$/i);
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope).toBe(SCOPES);
    expect((await api(emu, "/v1/me", tokens.access_token)).body.id).toBe(ALICE);
    const refreshToken = tokens.refresh_token ?? "";

    const refreshed = await oidc.refreshTokenGrant(config, refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeUndefined();
    expect((await oidc.refreshTokenGrant(config, refreshToken)).access_token).toBeTruthy();
  });

  it("refreshes with rotation: a new refresh token each time, the old one refused", async () => {
    emu.spotify.setRotateRefreshTokens(true);
    const config = configuration(auth);
    const first = (await authorizationCode(config)).refresh_token ?? "";

    const refreshed = await oidc.refreshTokenGrant(config, first);
    const second = refreshed.refresh_token ?? "";
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({
      error: "invalid_grant",
      error_description: "Refresh token revoked",
    });
    expect((await oidc.refreshTokenGrant(config, second)).refresh_token).toBeTruthy();
  });

  it("gets an app token by client credentials", async () => {
    const config = configuration(auth);
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.token_type).toMatch(/^bearer$/i);
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeUndefined();
    expect((await api(emu, "/v1/search?q=love&type=track", tokens.access_token)).status).toBe(200);
    expect((await api(emu, "/v1/me", tokens.access_token)).status).toBe(401);
  });
});
