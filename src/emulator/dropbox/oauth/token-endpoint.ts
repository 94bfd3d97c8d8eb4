import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../http/body.js";
import { sendJson } from "../../http/respond.js";
import type { RouteHandler } from "../../http/router.js";
import type { DropboxEmulator } from "../emulator.js";
import { respondWithFault } from "../fault-responses.js";
import { authenticateClient } from "./client-auth.js";
import { redeemCode, refreshAccess, type TokenResult } from "./grants.js";

export const TOKEN_PATH = "/oauth2/token";

function formParams(req: IncomingMessage, body: Buffer | null): URLSearchParams | null {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (body === null || type !== "application/x-www-form-urlencoded") return null;
  return new URLSearchParams(body.toString("utf8"));
}

/** POST /oauth2/token. Dropbox answers every OAuth error, invalid_client included, with 400. */
export function tokenHandler(emu: DropboxEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const state = emu.state;
    // Read first: counting and faults are per grant_type, which lives in the body.
    const params = formParams(req, await readBody(req, 64 * 1024));
    const grantType = params?.get("grant_type") ?? null;
    state.calls.record("token");
    if (grantType !== null) state.calls.record(`token:${grantType}`);
    const fault = state.faults.take(grantType === null ? ["token"] : [`token:${grantType}`, "token"]);
    if (fault) return respondWithFault(fault, "token", req, res);

    const result = exchange(emu, req, params, grantType);
    if (result.ok) return sendJson(res, 200, result.body);
    sendJson(res, 400, { error: result.error, error_description: result.description });
  };
}

function exchange(
  emu: DropboxEmulator,
  req: IncomingMessage,
  params: URLSearchParams | null,
  grantType: string | null,
): TokenResult {
  if (params === null) {
    return { ok: false, error: "invalid_request", description: "Expected an application/x-www-form-urlencoded body" };
  }
  const auth = authenticateClient(emu.config.clients, req.headers.authorization, params);
  if (!auth.ok) return { ok: false, error: auth.error, description: auth.description };
  const clientId = auth.client.clientId;
  switch (grantType) {
    case "authorization_code":
      return redeemCode(emu, emu.state, clientId, params);
    case "refresh_token":
      return refreshAccess(emu.state, clientId, params);
    case null:
      return { ok: false, error: "invalid_request", description: "No grant_type provided" };
    default:
      return { ok: false, error: "unsupported_grant_type", description: `grant_type "${grantType}" is not supported` };
  }
}
