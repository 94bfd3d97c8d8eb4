import { createServer } from "node:net";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { startTestServer, type TestServer } from "./server.js";
import type { ServerOptions } from "../../src/server.js";
import type { DatabaseMode, TestDatabase } from "./database.js";
import { postGraphQL } from "./graphql.js";

export const DROPBOX_KEY = "qbi-test-key";
export const DROPBOX_SECRET = "qbi-test-secret";
export const SPOTIFY_ID = "qbi-spotify-id";
export const SPOTIFY_SECRET = "qbi-spotify-secret";
export const ALICE = "dbid:AAA-alice";
export const BOB = "dbid:BBB-bob";
export const APP_URL = "http://127.0.0.1:4999";
export const PASSWORD = "correct horse battery staple";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface DropboxStack {
  emulator: RunningEmulator;
  server: TestServer;
  close(): Promise<void>;
}

/** The provider emulator (Dropbox and Spotify) and our server wired to each other over loopback. */
export async function startDropboxStack(
  mode: DatabaseMode,
  options: {
    env?: Record<string, string>;
    database?: TestDatabase;
    emulator?: RunningEmulator;
    serverOptions?: ServerOptions;
  } = {},
): Promise<DropboxStack> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const emulator =
    options.emulator ??
    (await startProviderEmulator({
      dropbox: {
        clients: [{ clientId: DROPBOX_KEY, clientSecret: DROPBOX_SECRET, redirectUris: [`${publicUrl}/users/dropbox/callback`] }],
        autoApprove: true,
      },
      spotify: {
        clients: [{ clientId: SPOTIFY_ID, clientSecret: SPOTIFY_SECRET, redirectUris: [`${publicUrl}/auth/spotify/callback`] }],
        autoApprove: true,
      },
    }));
  const server = await startTestServer(
    mode,
    {
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      APP_URL,
      DROPBOX_APP_KEY: DROPBOX_KEY,
      DROPBOX_APP_SECRET: DROPBOX_SECRET,
      DROPBOX_AUTHORIZE_URL: `${emulator.url}/oauth2/authorize`,
      DROPBOX_TOKEN_URL: `${emulator.url}/oauth2/token`,
      DROPBOX_API_URL: emulator.url,
      DROPBOX_CONTENT_URL: emulator.url,
      SPOTIFY_CLIENT_ID: SPOTIFY_ID,
      SPOTIFY_CLIENT_SECRET: SPOTIFY_SECRET,
      SPOTIFY_AUTHORIZE_URL: `${emulator.url}/authorize`,
      SPOTIFY_TOKEN_URL: `${emulator.url}/api/token`,
      SPOTIFY_API_URL: emulator.url,
      PROVIDER_TIMEOUT_MS: "1500",
      ...options.env,
    },
    options.database,
    options.serverOptions,
  );
  return {
    emulator,
    server,
    async close() {
      await server.close();
      if (!options.emulator) await emulator.close();
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  /** Cookie header value for browser-style requests. */
  cookie: string;
}

let users = 0;
export async function signUpUser(server: TestServer): Promise<TestUser> {
  const email = `host${++users}-${Date.now()}@example.com`;
  const res = await postGraphQL(server.graphqlUrl, {
    query: `mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { ... on AuthPayload { token user { id } } } }`,
    variables: { e: email, p: PASSWORD },
  });
  const payload = res.json.data.signUp;
  return { id: payload.user.id, email, token: payload.token, cookie: `session=${payload.token}` };
}

export async function gql(server: TestServer, user: TestUser | null, query: string, variables: Record<string, unknown> = {}) {
  const res = await postGraphQL(server.graphqlUrl, { query, variables }, user ? { authorization: `Bearer ${user.token}` } : {});
  if (res.status !== 200 || res.json.errors) throw new Error(`GraphQL failed: ${res.status} ${res.text}`);
  return res.json.data;
}

export const START_CONNECT = `mutation($returnTo: String) {
  startDropboxConnect(returnTo: $returnTo) {
    __typename
    ... on ConnectStart { authorizationUrl expiresAt }
    ... on UserError { message code }
  }
}`;

export const INTEGRATIONS = `query { me { dropboxExportPath integrations {
  provider status accountId accountName connectedAt accessTokenExpiresAt scopes lastRefreshedAt lastError
} } }`;

/** Follows a redirect chain by hand (like a browser would), carrying only the given cookie to our server. */
export async function follow(url: string, cookie?: string): Promise<{ status: number; location: string | null }> {
  const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get("location") };
}

/** startDropboxConnect → emulator authorize (auto-approve) → our callback. Returns the final redirect. */
export async function connectDropbox(stack: DropboxStack, user: TestUser, returnTo?: string): Promise<URL> {
  const data = await gql(stack.server, user, START_CONNECT, { returnTo });
  const start = data.startDropboxConnect;
  if (start.__typename !== "ConnectStart") throw new Error(`startDropboxConnect failed: ${start.message}`);
  const atProvider = await follow(start.authorizationUrl);
  if (atProvider.status !== 302 || !atProvider.location) throw new Error(`emulator answered ${atProvider.status}`);
  const callback = await follow(atProvider.location, user.cookie);
  if (callback.status !== 302 || !callback.location) throw new Error(`callback answered ${callback.status}`);
  return new URL(callback.location);
}

export async function dropboxIntegration(stack: DropboxStack, user: TestUser) {
  const data = await gql(stack.server, user, INTEGRATIONS);
  return { exportPath: data.me.dropboxExportPath as string | null, ...data.me.integrations.find((i: { provider: string }) => i.provider === "DROPBOX") };
}

/** startSpotifyConnect → emulator authorize (auto-approve) → our callback. Returns the final redirect. */
export async function connectSpotify(stack: DropboxStack, user: TestUser, returnTo?: string): Promise<URL> {
  const data = await gql(stack.server, user, `mutation($r: String) { startSpotifyConnect(returnTo: $r) {
    __typename ... on ConnectStart { authorizationUrl } ... on UserError { message } } }`, { r: returnTo });
  const start = data.startSpotifyConnect;
  if (start.__typename !== "ConnectStart") throw new Error(`startSpotifyConnect failed: ${start.message}`);
  const atProvider = await follow(start.authorizationUrl);
  if (atProvider.status !== 302 || !atProvider.location) throw new Error(`emulator answered ${atProvider.status}`);
  const callback = await follow(atProvider.location, user.cookie);
  if (callback.status !== 302 || !callback.location) throw new Error(`callback answered ${callback.status}`);
  return new URL(callback.location);
}
