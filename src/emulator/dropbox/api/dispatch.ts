import type { IncomingMessage, ServerResponse } from "node:http";
import { drain, readBody } from "../../http/body.js";
import { sendJson } from "../../http/respond.js";
import { countAndTakeFault } from "../../faults.js";
import type { RouteHandler } from "../../http/router.js";
import type { GrantToken } from "../../oauth/token-store.js";
import type { Account } from "../accounts.js";
import type { DropboxEmulator } from "../emulator.js";
import type { EndpointKey } from "../endpoints.js";
import { respondWithFault } from "../fault-responses.js";
import { scopeSatisfied } from "../oauth/scopes.js";
import type { DropboxState } from "../state.js";
import { ArgReader, isObject } from "./args.js";
import { authError, badInput, DropboxApiError, missingScope } from "./errors.js";

export interface ApiContext {
  emu: DropboxEmulator;
  state: DropboxState;
  account: Account;
  token: GrantToken;
}

interface EndpointBase {
  /** URL path, e.g. /2/files/list_folder. */
  path: string;
  /** Dropbox's route name, used in its error texts, e.g. files/list_folder. */
  route: string;
  key: EndpointKey;
  /** Scope the access token needs; null for endpoints any token may call. */
  scope: string | null;
}

/** RPC endpoints take a JSON object body, or none / JSON null when they have no argument. */
export type RpcEndpoint = EndpointBase & { style: "rpc" } & (
    | { takesArg: true; handle(ctx: ApiContext, args: ArgReader): unknown }
    | { takesArg: false; handle(ctx: ApiContext): unknown }
  );

/** Content-upload endpoints take their argument in Dropbox-API-Arg and stream the body themselves. */
export interface UploadEndpoint extends EndpointBase {
  style: "upload";
  handle(ctx: ApiContext, args: ArgReader, req: IncomingMessage): Promise<unknown>;
}

export type ApiEndpoint = RpcEndpoint | UploadEndpoint;

const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack"];
const UPLOAD_TYPES = ["application/octet-stream", "text/plain; charset=dropbox-cors-hack"];
const MAX_RPC_BODY = 1024 * 1024;

function contentTypeOf(req: IncomingMessage): string | undefined {
  return req.headers["content-type"]?.toLowerCase().replace(/;\s*/g, "; ").trim();
}

function badContentType(route: string, got: string | undefined, expected: string[]): DropboxApiError {
  const options = expected.map((type) => `"${type}"`).join(", ");
  return badInput(route, `Bad HTTP "Content-Type" header: "${got ?? ""}". Expecting one of ${options}.`);
}

/** The bearer token must be live and carry the endpoint's scope. */
function authenticate(emu: DropboxEmulator, req: IncomingMessage, endpoint: ApiEndpoint): ApiContext {
  const state = emu.state;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
  const check = bearer === undefined ? { status: "invalid" as const } : state.tokens.checkUserAccess(bearer);
  if (check.status === "expired") throw authError("expired_access_token");
  if (check.status === "invalid") throw authError("invalid_access_token");
  if (endpoint.scope !== null && !scopeSatisfied(check.token.scopes, endpoint.scope)) {
    throw missingScope(endpoint.scope);
  }
  const account = emu.account(check.token.accountId);
  if (!account) throw authError("invalid_access_token");
  return { emu, state, account, token: check.token };
}

/**
 * Dropbox's rules for RPC bodies: no-argument routes take an empty body without a
 * Content-Type, or JSON null; an empty body sent as application/json is not valid JSON.
 */
async function readRpcBody(req: IncomingMessage, endpoint: RpcEndpoint): Promise<unknown> {
  const body = await readBody(req, MAX_RPC_BODY);
  if (body === null) throw badInput(endpoint.route, "request body: too large");
  const type = contentTypeOf(req);
  if (!endpoint.takesArg && body.length === 0 && type === undefined) return null;
  if (type === undefined || !JSON_TYPES.includes(type)) throw badContentType(endpoint.route, type, JSON_TYPES);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw badInput(endpoint.route, "request body: could not decode input as JSON");
  }
}

async function runRpc(ctx: ApiContext, req: IncomingMessage, endpoint: RpcEndpoint): Promise<unknown> {
  const value = await readRpcBody(req, endpoint);
  if (!endpoint.takesArg) {
    if (value !== null) throw badInput(endpoint.route, "request body: expected null, got value");
    return endpoint.handle(ctx);
  }
  if (!isObject(value)) throw badInput(endpoint.route, "request body: expected object");
  return endpoint.handle(ctx, new ArgReader(endpoint.route, "request body", value));
}

/** Dropbox-API-Arg must be header-safe JSON: non-ASCII characters escaped as \uXXXX. */
function readUploadArgs(req: IncomingMessage, url: URL, endpoint: UploadEndpoint): ArgReader {
  const type = contentTypeOf(req);
  if (type === undefined || !UPLOAD_TYPES.includes(type)) throw badContentType(endpoint.route, type, UPLOAD_TYPES);
  const header = req.headers["dropbox-api-arg"];
  const raw = typeof header === "string" ? header : url.searchParams.get("arg");
  const where = 'HTTP header "Dropbox-API-Arg"';
  if (raw === null) throw badInput(endpoint.route, `${where}: missing`);
  let value: unknown;
  try {
    if (/[^\x20-\x7e]/.test(raw)) throw new Error("not header-safe");
    value = JSON.parse(raw);
  } catch {
    throw badInput(endpoint.route, `${where}: could not decode input as JSON`);
  }
  if (!isObject(value)) throw badInput(endpoint.route, `${where}: expected object`);
  return new ArgReader(endpoint.route, where, value);
}

/** Count, maybe fail on purpose, authenticate, parse, run; errors are sent after the body is drained. */
export function apiHandler(emu: DropboxEmulator, endpoint: ApiEndpoint): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const fault = countAndTakeFault(emu.state, endpoint.key);
    // lost_response: the request takes effect but its answer never arrives (a connection dropped
    // after Dropbox committed it), so the client's retry meets Dropbox's view of the state.
    if (fault && fault.kind !== "lost_response") return respondWithFault(fault, "api", req, res);
    try {
      const ctx = authenticate(emu, req, endpoint);
      const result =
        endpoint.style === "rpc"
          ? await runRpc(ctx, req, endpoint)
          : await endpoint.handle(ctx, readUploadArgs(req, url, endpoint), req);
      if (fault) {
        req.socket.destroy();
        return;
      }
      sendJson(res, 200, result);
    } catch (error) {
      if (!(error instanceof DropboxApiError)) throw error;
      await drain(req);
      error.send(res);
    }
  };
}
