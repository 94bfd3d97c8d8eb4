import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../http/body.js";
import { sendJson } from "../../http/respond.js";
import type { RouteHandler } from "../../http/router.js";
import type { SpotifyEmulator } from "../emulator.js";
import { respondWithSpotifyFault } from "../fault-responses.js";
import { authenticateSpotifyClient } from "./client-auth.js";
import { redeemSpotifyCode, refreshSpotifyToken, spotifyClientCredentials, type SpotifyTokenResult } from "./grants.js";

export const SPOTIFY_TOKEN_PATH = "/api/token";

function formParams(req: IncomingMessage, body: Buffer | null): URLSearchParams | null {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (body === null || type !== "application/x-www-form-urlencoded") return null;
  return new URLSearchParams(body.toString("utf8"));
}

/** POST /api/token. Spotify answers every OAuth error, invalid_client included, with 400. */
export function spotifyTokenHandler(emu: SpotifyEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const state = emu.state;
    // Read first: counting and faults are per grant_type, which lives in the body.
    const params = formParams(req, await readBody(req, 64 * 1024));
    const grantType = params?.get("grant_type") ?? null;
    state.calls.record("token");
    if (grantType !== null) state.calls.record(`token:${grantType}`);
    const fault = state.faults.take(grantType === null ? ["token"] : [`token:${grantType}`, "token"]);
    if (fault) return respondWithSpotifyFault(fault, "token", req, res);

    const result = exchange(emu, req, params, grantType);
    if (result.ok) return sendJson(res, 200, result.body);
    sendJson(res, 400, { error: result.error, error_description: result.description });
  };
}

function exchange(
  emu: SpotifyEmulator,
  req: IncomingMessage,
  params: URLSearchParams | null,
  grantType: string | null,
): SpotifyTokenResult {
  if (params === null) {
    return { ok: false, error: "invalid_request", description: "Expected an application/x-www-form-urlencoded body" };
  }
  if (grantType === null) {
    return { ok: false, error: "unsupported_grant_type", description: "grant_type parameter is missing" };
  }
  const auth = authenticateSpotifyClient(emu.config.clients, req.headers.authorization, params);
  if (!auth.ok) return { ok: false, error: "invalid_client", description: auth.description };
  const clientId = auth.client.clientId;
  switch (grantType) {
    case "authorization_code":
      return redeemSpotifyCode(emu, clientId, params);
    case "refresh_token":
      return refreshSpotifyToken(emu, clientId, params);
    case "client_credentials":
      return spotifyClientCredentials(emu, clientId);
    default:
      return {
        ok: false,
        error: "unsupported_grant_type",
        description: "grant_type must be client_credentials, authorization_code or refresh_token",
      };
  }
}
