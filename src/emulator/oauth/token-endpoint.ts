import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallCounter } from "../call-counter.js";
import { countAndTakeFault, type FaultInjector } from "../faults.js";
import { readBody } from "../http/body.js";
import type { FaultResponder } from "../http/fault-responses.js";
import { sendJson } from "../http/respond.js";
import type { RouteHandler } from "../http/router.js";

type TokenFailure = { ok: false; error: string; description: string };
export type TokenResult = { ok: true; body: Record<string, unknown> } | TokenFailure;
export type ClientAuth<C> = { ok: true; client: C } | TokenFailure;

export function tokenFailure(error: string, description: string): TokenFailure {
  return { ok: false, error, description };
}

/** What a provider's token endpoint does its own way; the request handling around it is shared. */
interface TokenEndpoint {
  /** Read per request: a reset replaces the provider's state. */
  state: () => { calls: CallCounter; faults: FaultInjector };
  respondWithFault: FaultResponder;
  authenticateClient: (authorization: string | undefined, params: URLSearchParams) => ClientAuth<{ clientId: string }>;
  /** By grant_type; called once the client is authenticated. */
  grants: Readonly<Record<string, (clientId: string, params: URLSearchParams) => TokenResult>>;
  /** The answer to a form without grant_type, and whether it is checked before the client is. */
  missingGrantType: { error: string; description: string; beforeClientAuth: boolean };
  unsupportedGrantType: (grantType: string) => string;
}

function formParams(req: IncomingMessage, body: Buffer | null): URLSearchParams | null {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (body === null || type !== "application/x-www-form-urlencoded") return null;
  return new URLSearchParams(body.toString("utf8"));
}

/** POST to the token path. Both providers answer every OAuth error, invalid_client included, with 400. */
export function tokenEndpointHandler(endpoint: TokenEndpoint): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const state = endpoint.state();
    // Read first: counting and faults are per grant_type, which lives in the body.
    const params = formParams(req, await readBody(req, 64 * 1024));
    const grantType = params?.get("grant_type") ?? null;
    // A fault queued for this grant type wins over one for any grant type.
    const fault = countAndTakeFault(state, ...(grantType === null ? [] : [`token:${grantType}`]), "token");
    if (fault) return endpoint.respondWithFault(fault, "token", req, res);

    const result = exchange(endpoint, req, params, grantType);
    if (result.ok) return sendJson(res, 200, result.body);
    sendJson(res, 400, { error: result.error, error_description: result.description });
  };
}

function exchange(
  endpoint: TokenEndpoint,
  req: IncomingMessage,
  params: URLSearchParams | null,
  grantType: string | null,
): TokenResult {
  if (params === null) return tokenFailure("invalid_request", "Expected an application/x-www-form-urlencoded body");
  const missing = endpoint.missingGrantType;
  if (grantType === null && missing.beforeClientAuth) return tokenFailure(missing.error, missing.description);
  const auth = endpoint.authenticateClient(req.headers.authorization, params);
  if (!auth.ok) return auth;
  if (grantType === null) return tokenFailure(missing.error, missing.description);
  const grant = Object.hasOwn(endpoint.grants, grantType) ? endpoint.grants[grantType] : undefined;
  if (!grant) return tokenFailure("unsupported_grant_type", endpoint.unsupportedGrantType(grantType));
  return grant(auth.client.clientId, params);
}
