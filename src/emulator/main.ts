import { pathToFileURL } from "node:url";
import { DEV_CLIENT } from "./dropbox/config.js";
import { DEV_SPOTIFY_CLIENT } from "./spotify/config.js";
import { serverEnvForEmulator } from "./server-env.js";
import { startProviderEmulator, type EmulatorOptions, type RunningEmulator } from "./start.js";

type Env = Record<string, string | undefined>;

function parsePort(raw: string | undefined): number {
  const port = Number(raw ?? "5010");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`EMULATOR_PORT is not a port: "${raw}"`);
  return port;
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === "") return false;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

/** The emulator configuration `npm run emulator` and `npm run dev` derive from the environment. */
export function emulatorOptionsFromEnv(env: Env = process.env): EmulatorOptions {
  const autoApprove = parseBoolean("EMULATOR_AUTO_APPROVE", env.EMULATOR_AUTO_APPROVE);
  return {
    port: parsePort(env.EMULATOR_PORT),
    dropbox: {
      clients: [
        {
          clientId: env.DROPBOX_APP_KEY || DEV_CLIENT.clientId,
          clientSecret: env.DROPBOX_APP_SECRET || DEV_CLIENT.clientSecret,
          redirectUris: [env.DROPBOX_REDIRECT_URI || (DEV_CLIENT.redirectUris[0] as string)],
        },
      ],
      autoApprove,
    },
    spotify: {
      clients: [
        {
          clientId: env.SPOTIFY_CLIENT_ID || DEV_SPOTIFY_CLIENT.clientId,
          clientSecret: env.SPOTIFY_CLIENT_SECRET || DEV_SPOTIFY_CLIENT.clientSecret,
          redirectUris: [env.SPOTIFY_REDIRECT_URI || (DEV_SPOTIFY_CLIENT.redirectUris[0] as string)],
        },
      ],
      autoApprove,
      rotateRefreshTokens: parseBoolean("EMULATOR_SPOTIFY_ROTATE", env.EMULATOR_SPOTIFY_ROTATE),
    },
  };
}

/** For scripts/dev.ts: start the emulator in-process from the same environment variables. */
export function startEmulatorFromEnv(env: Env = process.env): Promise<RunningEmulator> {
  return startProviderEmulator(emulatorOptionsFromEnv(env));
}

async function runCli(): Promise<void> {
  const emulator = await startEmulatorFromEnv();
  console.log(`Provider emulator (Dropbox, Spotify) listening on ${emulator.url}`);
  for (const [name, value] of Object.entries(serverEnvForEmulator(emulator.url))) console.log(`  ${name}=${value}`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Only run as a CLI when executed directly, not when imported by scripts/dev.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
