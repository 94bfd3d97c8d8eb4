import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, sendText } from "./http/respond.js";
import { listenOnLoopback } from "./http/loopback-server.js";
import { Router } from "./http/router.js";
import { resolveConfig, type DropboxOptions } from "./dropbox/config.js";
import { createDropboxControl, type DropboxEmulatorControl } from "./dropbox/control/control.js";
import { addControlRoutes } from "./dropbox/control/control-http.js";
import { DropboxEmulator } from "./dropbox/emulator.js";
import { addDropboxRoutes } from "./dropbox/routes.js";
import { resolveSpotifyConfig, type SpotifyOptions } from "./spotify/config.js";
import { createSpotifyControl, type SpotifyEmulatorControl } from "./spotify/control/control.js";
import { addSpotifyControlRoutes } from "./spotify/control/control-http.js";
import { SpotifyEmulator } from "./spotify/emulator.js";
import { addSpotifyRoutes } from "./spotify/routes.js";

export interface EmulatorOptions {
  /** 0 = a free port (default). The emulator only ever listens on 127.0.0.1. */
  port?: number;
  dropbox?: DropboxOptions;
  /** Omitted: Spotify is still served, with the dev client (DEV_SPOTIFY_CLIENT) registered. */
  spotify?: SpotifyOptions;
  /** ms epoch; inject to move time for token and code expiry. */
  clock?: () => number;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  dropbox: DropboxEmulatorControl;
  spotify: SpotifyEmulatorControl;
}

/** Starts the provider emulator; one HTTP origin serves Dropbox, Spotify and the control API. */
export async function startProviderEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? Date.now;
  const dropbox = new DropboxEmulator(resolveConfig(options.dropbox), clock);
  const dropboxControl = createDropboxControl(dropbox);
  const spotify = new SpotifyEmulator(resolveSpotifyConfig(options.spotify), clock);
  const spotifyControl = createSpotifyControl(spotify);
  const router = new Router();
  addDropboxRoutes(router, dropbox);
  addControlRoutes(router, dropboxControl);
  addSpotifyRoutes(router, spotify);
  addSpotifyControlRoutes(router, spotifyControl);
  router.add("GET", "/__emulator/health", async (_req, res) =>
    sendJson(res, 200, { ok: true, providers: ["dropbox", "spotify"] }),
  );

  const server = await listenOnLoopback(options.port ?? 0, async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = router.match(req.method ?? "GET", url.pathname);
    if (match === undefined) return sendText(res, 404, `Unknown API function: ${url.pathname}`);
    if (match === "method") return sendText(res, 405, `Method ${req.method ?? ""} not allowed`);
    await match.handler(req, res, url, match.params);
  });
  return { url: server.url, close: server.close, dropbox: dropboxControl, spotify: spotifyControl };
}
