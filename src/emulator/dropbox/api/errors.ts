import type { ServerResponse } from "node:http";
import { send } from "../../http/respond.js";

/** A Dropbox API failure, thrown by handlers and sent by the dispatcher once the body is drained. */
export class DropboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Dropbox API error ${status}`);
  }

  send(res: ServerResponse): void {
    send(res, this.status, this.contentType, this.body, this.headers);
  }
}

function jsonError(status: number, summary: string, error: unknown, headers?: Record<string, string>) {
  // Dropbox pads error_summary with dots; clients are told to match on the prefix.
  const body = JSON.stringify({ error_summary: `${summary}/..`, error });
  return new DropboxApiError(status, "application/json", body, headers);
}

/** 409: an endpoint-specific error (the route's error union). */
export function routeError(summary: string, error: Record<string, unknown>): DropboxApiError {
  return jsonError(409, summary, error);
}

/** 400: Dropbox answers malformed input with plain text, not JSON. */
export function badInput(route: string, message: string): DropboxApiError {
  return new DropboxApiError(
    400,
    "text/plain; charset=utf-8",
    `Error in call to API function "${route}": ${message}`,
  );
}

export function authError(tag: "invalid_access_token" | "expired_access_token"): DropboxApiError {
  return jsonError(401, tag, { ".tag": tag });
}

export function missingScope(requiredScope: string): DropboxApiError {
  return jsonError(401, "missing_scope", { ".tag": "missing_scope", required_scope: requiredScope });
}

export function rateLimited(retryAfterSeconds: number): DropboxApiError {
  return jsonError(
    429,
    "too_many_requests",
    { reason: { ".tag": "too_many_requests" }, retry_after: retryAfterSeconds },
    { "retry-after": String(retryAfterSeconds) },
  );
}

/** LookupError wrapped as the "path" member, shared by list_folder and get_metadata. */
export function lookupError(tag: "not_found" | "not_folder" | "malformed_path"): DropboxApiError {
  return routeError(`path/${tag}`, { ".tag": "path", path: { ".tag": tag } });
}
