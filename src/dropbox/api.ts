import type { Fetch } from "../oauth/openid.js";
import { callProvider, retryAfterSeconds } from "../oauth/provider-call.js";
import { ProviderHttpError } from "../oauth/provider-http-error.js";
import { ProviderNotConfiguredError } from "../oauth/errors.js";
import type { Config } from "../config.js";
import type { Services } from "../context.js";
import type { DropboxContentHttp } from "./content-api.js";

/** 401 tags about the grant or the account, not the token: missing scopes, an app denied the route, a suspended user. */
const GRANT_REFUSALS = new Set(["missing_scope", "route_access_denied", "user_suspended"]);

/** A Dropbox API error answer: 401 auth errors, 409 route errors (`error_summary` tags), 429. */
export class DropboxApiError extends ProviderHttpError {
  override name = "DropboxApiError";
  constructor(
    status: number,
    /** First segment of error_summary, e.g. "path" or "expired_access_token". */
    readonly tag: string,
    readonly summary: string,
    retryAfterSeconds: number | null,
    /** The answer's `error` member, the route's error union (e.g. an existing shared link's metadata). */
    readonly detail: unknown = undefined,
  ) {
    super("DROPBOX", status, `Dropbox answered ${status} ${summary}`, retryAfterSeconds);
  }

  /** Dropbox also answers 401 for what the grant does not allow; a refreshed token changes none of that. */
  override get tokenRejected(): boolean {
    return super.tokenRejected && !GRANT_REFUSALS.has(this.tag);
  }
}

export interface DropboxHttp {
  apiUrl: string;
  fetch: Fetch;
  timeoutMs: number;
}

type DropboxConfig = NonNullable<Config["dropbox"]>;

/**
 * The server's Dropbox app and how to call it (API and content hosts, the server's fetch and
 * provider timeout); ProviderNotConfiguredError when the server has no Dropbox app.
 */
export function configuredDropbox(services: Pick<Services, "config" | "fetch">): {
  config: DropboxConfig;
  http: DropboxHttp & DropboxContentHttp;
} {
  const config = services.config.dropbox;
  if (!config) throw new ProviderNotConfiguredError("DROPBOX");
  const { fetch } = services;
  const timeoutMs = services.config.providerTimeoutMs;
  return { config, http: { apiUrl: config.apiUrl, contentUrl: config.contentUrl, fetch, timeoutMs } };
}

/**
 * Calls a Dropbox RPC endpoint. Network failures, timeouts, 5xx and unparseable answers become
 * ProviderUnavailableError; Dropbox's own error answers become DropboxApiError.
 */
export function dropboxRpc<T>(http: DropboxHttp, endpoint: string, accessToken: string, args: unknown): Promise<T> {
  return callProvider<T>(
    "DROPBOX",
    http.fetch,
    `${http.apiUrl}/2/${endpoint}`,
    {
      method: "POST",
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(args === undefined ? {} : { "content-type": "application/json" }),
      },
      body: args === undefined ? undefined : JSON.stringify(args),
    },
    http.timeoutMs,
    dropboxApiError,
  );
}

/** Dropbox's error answer (JSON with error_summary and error, or a plain-text 400) as a DropboxApiError. */
export function dropboxApiError(response: Response, text: string): DropboxApiError {
  let summary = `http_${response.status}`;
  let detail: unknown;
  try {
    const body = JSON.parse(text) as { error_summary?: unknown; error?: unknown };
    if (typeof body.error_summary === "string") summary = body.error_summary;
    detail = body.error;
  } catch {
    // A 400 from Dropbox is plain text; the status says enough.
  }
  const retryAfter = retryAfterSeconds(response);
  return new DropboxApiError(response.status, summary.split("/")[0] ?? summary, summary, retryAfter || null, detail);
}
