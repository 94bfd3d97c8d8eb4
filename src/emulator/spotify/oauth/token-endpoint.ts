import type { RouteHandler } from "../../http/router.js";
import { tokenEndpointHandler } from "../../oauth/token-endpoint.js";
import type { SpotifyEmulator } from "../emulator.js";
import { respondWithSpotifyFault } from "../fault-responses.js";
import { authenticateSpotifyClient } from "./client-auth.js";
import { redeemSpotifyCode, refreshSpotifyToken, spotifyClientCredentials } from "./grants.js";

export const SPOTIFY_TOKEN_PATH = "/api/token";

/** POST /api/token: a missing grant_type is reported before the client is checked. */
export function spotifyTokenHandler(emu: SpotifyEmulator): RouteHandler {
  return tokenEndpointHandler({
    state: () => emu.state,
    respondWithFault: respondWithSpotifyFault,
    authenticateClient: (authorization, params) => authenticateSpotifyClient(emu.config.clients, authorization, params),
    grants: {
      authorization_code: (clientId, params) => redeemSpotifyCode(emu, clientId, params),
      refresh_token: (clientId, params) => refreshSpotifyToken(emu, clientId, params),
      client_credentials: (clientId) => spotifyClientCredentials(emu, clientId),
    },
    missingGrantType: {
      error: "unsupported_grant_type",
      description: "grant_type parameter is missing",
      beforeClientAuth: true,
    },
    unsupportedGrantType: () => "grant_type must be client_credentials, authorization_code or refresh_token",
  });
}
