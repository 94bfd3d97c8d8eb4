/**
 * `npm run dev`: the server plus the local Dropbox emulator, wired together, so the whole
 * connect flow can be tried in a browser without a Dropbox app.
 *
 * - Emulator on 127.0.0.1:EMULATOR_PORT (5010), consent page shown (not auto-approved unless
 *   EMULATOR_AUTO_APPROVE=true), registered with the emulator's dev client.
 * - Server on PORT (5000), PUBLIC_URL (http://127.0.0.1:PORT), embedded database in DATA_DIR
 *   (./.data), with DROPBOX_* and SPOTIFY_* pointing at the emulator and matching dev clients.
 *
 * Refuses to run when DROPBOX_APP_KEY or SPOTIFY_CLIENT_ID is set: real credentials are for `npm start`.
 */
import type { DestinationStream } from "pino";
import { ConfigError, loadConfig, type Config } from "../src/config.js";
import { createLogger, type Logger } from "../src/logger.js";
import { startServer, type RunningServer } from "../src/server.js";
import { stopOnSignals } from "../src/stop-on-signals.js";
import { DEV_CLIENT } from "../src/emulator/dropbox/config.js";
import { DEV_SPOTIFY_CLIENT } from "../src/emulator/spotify/config.js";
import { emulatorOptionsFromEnv } from "../src/emulator/main.js";
import { startProviderEmulator, type RunningEmulator } from "../src/emulator/start.js";
import { serverEnvForEmulator } from "../src/emulator/server-env.js";

const CALLBACK_PATH = "/users/dropbox/callback";
const SPOTIFY_VARS = [
  "SPOTIFY_CLIENT_ID",
  "SPOTIFY_CLIENT_SECRET",
  "SPOTIFY_REDIRECT_URI",
  "SPOTIFY_AUTHORIZE_URL",
  "SPOTIFY_TOKEN_URL",
  "SPOTIFY_API_URL",
];
const DROPBOX_VARS = [
  "DROPBOX_APP_SECRET",
  "DROPBOX_REDIRECT_URI",
  "DROPBOX_AUTHORIZE_URL",
  "DROPBOX_TOKEN_URL",
  "DROPBOX_API_URL",
  "DROPBOX_CONTENT_URL",
] as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Pretty logs when pino-pretty (a dev dependency) is installed, JSON otherwise. */
async function devLogger(level: string): Promise<Logger> {
  let destination: DestinationStream | undefined;
  try {
    const { default: pretty } = await import("pino-pretty");
    destination = pretty({ sync: true, translateTime: "HH:MM:ss", ignore: "pid,hostname,service" });
  } catch {
    destination = undefined;
  }
  return createLogger(level, destination);
}

for (const name of ["DROPBOX_APP_KEY", "SPOTIFY_CLIENT_ID"]) {
  if (process.env[name]) {
    fail(
      `npm run dev: ${name} is set, so you seem to have real provider credentials.\n` +
        "`npm run dev` always uses the local provider emulator and will not override them.\n" +
        "  - to run against the real providers: npm start\n" +
        `  - to use the emulator: unset ${name} (and its secret), then npm run dev`,
    );
  }
}

const env: NodeJS.ProcessEnv = { ...process.env };
const port = env.PORT ?? "5000";
if (port === "0") fail("npm run dev: PORT=0 is not supported; the OAuth redirect URI needs a fixed port.");
// 127.0.0.1, not localhost: Spotify (and so its emulator) refuses localhost redirect URIs.
if (!env.PUBLIC_URL && /^\d+$/.test(port)) env.PUBLIC_URL = `http://127.0.0.1:${port}`;

// The emulator's values replace these, so they must not fail validation either.
const ignored = [...DROPBOX_VARS, ...SPOTIFY_VARS].filter((name) => env[name]);
for (const name of ignored) delete env[name];

// First pass: the developer's own settings, so a bad environment gives the usual clear error
// before anything listens.
let baseConfig: Config;
try {
  baseConfig = loadConfig(env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const redirectUri = `${baseConfig.publicUrl}${CALLBACK_PATH}`;
const spotifyRedirectUri = `${baseConfig.publicUrl}/auth/spotify/callback`;
// The server and the emulator must agree on the clients and the redirect URIs.
const devClients = {
  DROPBOX_APP_KEY: DEV_CLIENT.clientId,
  DROPBOX_APP_SECRET: DEV_CLIENT.clientSecret,
  DROPBOX_REDIRECT_URI: redirectUri,
  SPOTIFY_CLIENT_ID: DEV_SPOTIFY_CLIENT.clientId,
  SPOTIFY_CLIENT_SECRET: DEV_SPOTIFY_CLIENT.clientSecret,
  SPOTIFY_REDIRECT_URI: spotifyRedirectUri,
};
let emulatorOptions;
try {
  emulatorOptions = emulatorOptionsFromEnv({
    EMULATOR_PORT: env.EMULATOR_PORT,
    EMULATOR_AUTO_APPROVE: env.EMULATOR_AUTO_APPROVE,
    ...devClients,
  });
} catch (error) {
  fail(`npm run dev: ${(error as Error).message}`);
}
for (const client of [...(emulatorOptions.dropbox?.clients ?? []), ...(emulatorOptions.spotify?.clients ?? [])]) {
  client.name = "Quizzical Beats (dev)";
}

const logger = await devLogger(baseConfig.logLevel);
let emulator: RunningEmulator | undefined;
let server: RunningServer | undefined;

async function stopAll(): Promise<void> {
  await server?.close();
  await emulator?.close();
}

stopOnSignals(logger, stopAll);

try {
  emulator = await startProviderEmulator(emulatorOptions);

  Object.assign(env, devClients, serverEnvForEmulator(emulator.url));
  for (const name of ["DROPBOX_APP_KEY", ...DROPBOX_VARS, ...SPOTIFY_VARS]) process.env[name] = env[name];
  const config = loadConfig(env);

  server = await startServer(config, { logger });
  const graphiql = `${config.publicUrl}/graphql`;
  const lines = [
    "",
    "  Quizzical Beats dev server (Dropbox and Spotify = local emulator)",
    "",
    `  GraphiQL:  ${graphiql}`,
    `  Emulator:  ${emulator.url}  (control API: ${emulator.url}/__emulator/dropbox/..., /__emulator/spotify/...)`,
    `  Database:  ${config.database.kind === "embedded" ? `embedded, ${config.database.dataDir}` : "DATABASE_URL"}`,
    "",
    "  Try the Dropbox connect flow (all in the same browser):",
    `   1. Open ${graphiql} and sign up:`,
    '        mutation { signUp(email: "you@example.com", password: "a long password") { __typename } }',
    "   2. mutation { startDropboxConnect { ... on ConnectStart { authorizationUrl } } }",
    "   3. Open the authorizationUrl in the same browser and click Allow (signed in as Alice Example).",
    `   4. You land on ${config.appUrl}/profile?dropbox=connected (APP_URL/profile is your front end;`,
    "      this server answers 404 there). Back in GraphiQL:",
    "        { me { integrations { provider status accountName } } }",
    "   Spotify works the same way: startSpotifyConnect, then try",
    '        { spotifySearch(query: "summer", type: TRACK) { ... on SpotifySearchConnection { tokenSource edges { node { ... on SpotifyTrack { name } } } } } }',
    "",
    `  Keep using ${new URL(config.publicUrl).host}: the session cookie is set for that host and the`,
    "  callback goes there. Ctrl+C stops both.",
    "",
  ];
  if (ignored.length > 0) lines.push(`  Ignored (the emulator's values are used instead): ${ignored.join(", ")}`, "");
  process.stdout.write(`${lines.join("\n")}\n`);
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else logger.fatal({ err: error }, "dev server failed to start");
  await stopAll().catch(() => undefined);
  process.exit(1);
}
