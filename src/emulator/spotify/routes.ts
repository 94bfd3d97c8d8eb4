import type { Router } from "../http/router.js";
import { catalogEndpoints } from "./api/catalog-endpoints.js";
import { spotifyApiHandler, type SpotifyApiEndpoint } from "./api/dispatch.js";
import { playlistEndpoints } from "./api/playlist-endpoints.js";
import { userEndpoints } from "./api/user-endpoints.js";
import type { SpotifyEmulator } from "./emulator.js";
import {
  SPOTIFY_AUTHORIZE_PATH,
  SPOTIFY_DECISION_PATH,
  spotifyAuthorizeHandler,
  spotifyDecisionHandler,
} from "./oauth/authorize-endpoint.js";
import { SPOTIFY_TOKEN_PATH, spotifyTokenHandler } from "./oauth/token-endpoint.js";

const API_ENDPOINTS: readonly SpotifyApiEndpoint[] = [...catalogEndpoints, ...playlistEndpoints, ...userEndpoints];

/**
 * Spotify's accounts service (/authorize, /api/token) and Web API (/v1/...) on the emulator's
 * origin. None of these paths overlap Dropbox's /oauth2/* and /2/*, so nothing is namespaced.
 */
export function addSpotifyRoutes(router: Router, emu: SpotifyEmulator): void {
  router.add("GET", SPOTIFY_AUTHORIZE_PATH, spotifyAuthorizeHandler(emu));
  router.add("POST", SPOTIFY_DECISION_PATH, spotifyDecisionHandler(emu));
  router.add("POST", SPOTIFY_TOKEN_PATH, spotifyTokenHandler(emu));
  for (const endpoint of API_ENDPOINTS) router.add("GET", endpoint.path, spotifyApiHandler(emu, endpoint));
}
