import type { RouteHandler } from "../../http/router.js";
import { tokenEndpointHandler } from "../../oauth/token-endpoint.js";
import type { DropboxEmulator } from "../emulator.js";
import { respondWithFault } from "../fault-responses.js";
import { authenticateClient } from "./client-auth.js";
import { redeemCode, refreshAccess } from "./grants.js";

export const TOKEN_PATH = "/oauth2/token";

/** POST /oauth2/token: the client is checked before a missing grant_type is reported. */
export function tokenHandler(emu: DropboxEmulator): RouteHandler {
  return tokenEndpointHandler({
    state: () => emu.state,
    respondWithFault,
    authenticateClient: (authorization, params) => authenticateClient(emu.config.clients, authorization, params),
    grants: {
      authorization_code: (clientId, params) => redeemCode(emu, emu.state, clientId, params),
      refresh_token: (clientId, params) => refreshAccess(emu.state, clientId, params),
    },
    missingGrantType: { error: "invalid_request", description: "No grant_type provided", beforeClientAuth: false },
    unsupportedGrantType: (grantType) => `grant_type "${grantType}" is not supported`,
  });
}
