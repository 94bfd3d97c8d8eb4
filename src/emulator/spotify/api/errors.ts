import type { ServerResponse } from "node:http";
import { sendJson } from "../../http/respond.js";
import { SPOTIFY_ID } from "../catalog/ids.js";

/** A Web API failure: Spotify's regular error object, thrown by handlers and sent by the dispatcher. */
export class SpotifyApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  send(res: ServerResponse): void {
    sendJson(res, this.status, { error: { status: this.status, message: this.message } }, this.headers);
  }
}

export function badRequest(message: string): SpotifyApiError {
  return new SpotifyApiError(400, message);
}

/** Path and ids= values must look like Spotify ids before they are looked up. */
export function requireId(id: string): string {
  if (!SPOTIFY_ID.test(id)) throw badRequest("Invalid base62 id");
  return id;
}

export function notFound(): SpotifyApiError {
  return new SpotifyApiError(404, "Resource not found");
}

export type BearerProblem = "No token provided" | "Invalid access token" | "The access token expired";

/** 401 with the WWW-Authenticate challenge Spotify sends alongside the JSON body. */
export function unauthorized(message: BearerProblem): SpotifyApiError {
  const challenge =
    message === "No token provided"
      ? 'Bearer realm="spotify"'
      : `Bearer realm="spotify", error="invalid_token", error_description="${message}"`;
  return new SpotifyApiError(401, message, { "www-authenticate": challenge });
}

/** A client-credentials token on an endpoint about "the current user". */
export function userRequired(): SpotifyApiError {
  return new SpotifyApiError(401, "This request requires user authentication.");
}

export function rateLimited(retryAfterSeconds: number): SpotifyApiError {
  return new SpotifyApiError(429, "API rate limit exceeded", { "retry-after": String(retryAfterSeconds) });
}
