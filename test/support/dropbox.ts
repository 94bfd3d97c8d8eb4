import { freePort } from "../../scripts/free-port.js";
import { serverEnvForEmulator, startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { startTestServer, type TestServer } from "./server.js";
import type { ServerOptions } from "../../src/server.js";
import type { DatabaseMode, TestDatabase } from "./database.js";
import { execute, expectTypename, typedClient, type TypedClient } from "./typed.js";
import {
  IntegrationsDocument,
  SignUpDocument,
  StartDropboxConnectDocument,
  StartSpotifyConnectDocument,
  type IntegrationFieldsFragment,
  type IntegrationProvider,
} from "../generated/graphql/graphql.js";

export const DROPBOX_KEY = "qbi-test-key";
export const DROPBOX_SECRET = "qbi-test-secret";
export const SPOTIFY_ID = "qbi-spotify-id";
export const SPOTIFY_SECRET = "qbi-spotify-secret";
export const ALICE = "dbid:AAA-alice";
export const BOB = "dbid:BBB-bob";
export const APP_URL = "http://127.0.0.1:4999";
export const PASSWORD = "correct horse battery staple";

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
      SPOTIFY_CLIENT_ID: SPOTIFY_ID,
      SPOTIFY_CLIENT_SECRET: SPOTIFY_SECRET,
      ...serverEnvForEmulator(emulator.url),
      // Short enough for timeout tests, long enough for a loaded two-core machine.
      PROVIDER_TIMEOUT_MS: "4000",
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
  const { signUp } = await execute(server.graphqlUrl, SignUpDocument, { email, password: PASSWORD });
  const payload = expectTypename(signUp, "AuthPayload");
  return { id: payload.user.id, email, token: payload.token, cookie: `session=${payload.token}` };
}

/** A typed client (test/generated/graphql documents) signed in as `user`, or signed out for null. */
export function clientOf(server: TestServer, user: TestUser | null): TypedClient {
  return typedClient(server.graphqlUrl, user?.token);
}

/** How many calls the emulated provider has taken since this was called, for one endpoint key. */
export function callsSince(provider: { callCounts(): Record<string, number> }): (key: string) => number {
  const before = provider.callCounts();
  return (key) => (provider.callCounts()[key] ?? 0) - (before[key] ?? 0);
}

/** Follows a redirect chain by hand (like a browser would), carrying only the given cookie to our server. */
export async function follow(url: string, cookie?: string): Promise<{ status: number; location: string | null }> {
  const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get("location") };
}

/**
 * The browser's part of a connect flow: the emulator's authorize page (auto-approve), then our
 * callback with the user's cookie. Returns where the callback sends the browser.
 */
export async function completeConnect(authorizationUrl: string, user: TestUser): Promise<URL> {
  const atProvider = await follow(authorizationUrl);
  if (atProvider.status !== 302 || !atProvider.location) throw new Error(`emulator answered ${atProvider.status}`);
  const callback = await follow(atProvider.location, user.cookie);
  if (callback.status !== 302 || !callback.location) throw new Error(`callback answered ${callback.status}`);
  return new URL(callback.location);
}

/** startDropboxConnect → emulator authorize (auto-approve) → our callback. Returns the final redirect. */
export async function connectDropbox(stack: DropboxStack, user: TestUser, returnTo?: string): Promise<URL> {
  const { startDropboxConnect } = await clientOf(stack.server, user).request(StartDropboxConnectDocument, { returnTo });
  return completeConnect(expectTypename(startDropboxConnect, "ConnectStart").authorizationUrl, user);
}

/** startSpotifyConnect → emulator authorize (auto-approve) → our callback. Returns the final redirect. */
export async function connectSpotify(stack: DropboxStack, user: TestUser, returnTo?: string): Promise<URL> {
  const { startSpotifyConnect } = await clientOf(stack.server, user).request(StartSpotifyConnectDocument, { returnTo });
  return completeConnect(expectTypename(startSpotifyConnect, "ConnectStart").authorizationUrl, user);
}

/** The user's own view from Integrations, with their integration with `provider`. */
async function ownIntegration(server: TestServer, user: TestUser, provider: IntegrationProvider) {
  const { me } = await clientOf(server, user).request(IntegrationsDocument);
  if (!me) throw new Error("Integrations: not signed in");
  const integration = me.integrations.find((i) => i.provider === provider);
  if (!integration) throw new Error(`Integrations lists no ${provider} entry`);
  return { me, integration };
}

/** The user's integration with `provider` from Integrations (the signed-in user's own view). */
export async function integrationOf(server: TestServer, user: TestUser, provider: IntegrationProvider): Promise<IntegrationFieldsFragment> {
  return (await ownIntegration(server, user, provider)).integration;
}

/** The user's Dropbox integration and export path, from Integrations. */
export async function dropboxIntegration(stack: DropboxStack, user: TestUser): Promise<IntegrationFieldsFragment & { exportPath: string | null }> {
  const { me, integration } = await ownIntegration(stack.server, user, "DROPBOX");
  return { exportPath: me.dropboxExportPath ?? null, ...integration };
}
