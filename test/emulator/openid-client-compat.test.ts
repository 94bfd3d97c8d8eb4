import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ALICE, CLIENT, REDIRECT_URI } from "./helpers.js";

// The server under test talks to Dropbox through openid-client v6; prove the emulator
// satisfies its response checks with both client authentication methods.
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startProviderEmulator({ dropbox: { clients: [CLIENT], autoApprove: true } });
});
afterAll(() => emu.close());

function configuration(auth: oidc.ClientAuth): oidc.Configuration {
  const config = new oidc.Configuration(
    {
      issuer: "https://www.dropbox.com",
      authorization_endpoint: `${emu.url}/oauth2/authorize`,
      token_endpoint: `${emu.url}/oauth2/token`,
    },
    CLIENT.clientId,
    undefined,
    auth,
  );
  oidc.allowInsecureRequests(config);
  return config;
}

describe.each([
  ["client_secret_basic", oidc.ClientSecretBasic(CLIENT.clientSecret)],
  ["client_secret_post", oidc.ClientSecretPost(CLIENT.clientSecret)],
])("openid-client with %s", (_name, auth) => {
  it("exchanges the code and refreshes", async () => {
    const config = configuration(auth);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorizeUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "account_info.read files.content.write",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      token_access_type: "offline",
      state,
    });
    const res = await fetch(authorizeUrl, { redirect: "manual" });
    const callback = new URL(res.headers.get("location") ?? "");

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.account_id).toBe(ALICE);
    expect(tokens.expires_in).toBe(14400);
    const refreshToken = tokens.refresh_token ?? "";

    const refreshed = await oidc.refreshTokenGrant(config, refreshToken);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeUndefined();

    emu.dropbox.revokeUserGrant(ALICE);
    await expect(oidc.refreshTokenGrant(config, refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
