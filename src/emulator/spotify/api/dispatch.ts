import type { IncomingMessage, ServerResponse } from "node:http";
import { drain } from "../../http/body.js";
import { sendJson } from "../../http/respond.js";
import { countAndTakeFault } from "../../faults.js";
import type { RouteHandler, RouteParams } from "../../http/router.js";
import type { IssuedToken } from "../../oauth/token-store.js";
import type { SpotifyAccount } from "../accounts.js";
import { CatalogJson } from "../catalog/json.js";
import type { SpotifyEmulator } from "../emulator.js";
import type { SpotifyEndpointKey } from "../endpoints.js";
import { respondWithSpotifyFault } from "../fault-responses.js";
import { badRequest, SpotifyApiError, unauthorized, userRequired } from "./errors.js";

export interface SpotifyApiContext {
  emu: SpotifyEmulator;
  token: IssuedToken;
  /** The user behind the token; null for an app (client credentials) token. */
  account: SpotifyAccount | null;
  /** The request URL as the client sent it, origin included, for hrefs and paging links. */
  url: URL;
  params: RouteParams;
  json: CatalogJson;
}

export type UserApiContext = SpotifyApiContext & { account: SpotifyAccount };

interface EndpointBase {
  /** A router path, possibly with {id} segments. */
  path: string;
  key: SpotifyEndpointKey;
}

/** userOnly: /v1/me and friends, where an app token has no user to answer for. */
export type SpotifyApiEndpoint = EndpointBase &
  (
    | { userOnly: true; handle(ctx: UserApiContext): unknown }
    | { userOnly: false; handle(ctx: SpotifyApiContext): unknown }
  );

function run(endpoint: SpotifyApiEndpoint, ctx: SpotifyApiContext): unknown {
  if (!endpoint.userOnly) return endpoint.handle(ctx);
  const account = ctx.account;
  if (account === null) throw userRequired();
  return endpoint.handle({ ...ctx, account });
}

/** Resolves the Bearer token: missing, malformed, unknown, revoked and expired tokens each fail as Spotify does. */
function authenticate(emu: SpotifyEmulator, req: IncomingMessage) {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === "") throw unauthorized("No token provided");
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer === undefined) throw badRequest("Only valid bearer authentication supported");
  const check = emu.state.tokens.checkAccess(bearer);
  if (check.status === "expired") throw unauthorized("The access token expired");
  if (check.status === "invalid") throw unauthorized("Invalid access token");
  const account = check.token.accountId === null ? null : (emu.account(check.token.accountId) ?? null);
  if (check.token.accountId !== null && account === null) throw unauthorized("Invalid access token");
  return { token: check.token, account };
}

/** Count, maybe fail on purpose, authenticate, run; failures are Spotify's JSON error object. */
export function spotifyApiHandler(emu: SpotifyEmulator, endpoint: SpotifyApiEndpoint): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, routed: URL, params: RouteParams) => {
    const fault = countAndTakeFault(emu.state, endpoint.key);
    if (fault) return respondWithSpotifyFault(fault, "api", req, res);
    await drain(req);
    // The router's URL has a placeholder origin; hrefs must point where the client actually called.
    const url = new URL(`${routed.pathname}${routed.search}`, `http://${req.headers.host ?? "127.0.0.1"}`);
    try {
      const { token, account } = authenticate(emu, req);
      const json = new CatalogJson(url.origin, emu.catalog);
      sendJson(res, 200, run(endpoint, { emu, token, account, url, params, json }));
    } catch (error) {
      if (!(error instanceof SpotifyApiError)) throw error;
      error.send(res);
    }
  };
}
