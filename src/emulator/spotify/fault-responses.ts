import type { IncomingMessage, ServerResponse } from "node:http";
import { drain, firstBodyBytes } from "../http/body.js";
import { send, sendJson, sendText } from "../http/respond.js";
import type { Fault } from "../faults.js";
import { rateLimited, SpotifyApiError, unauthorized } from "./api/errors.js";
import type { SpotifyEndpointFamily } from "./endpoints.js";

/** Plays an injected fault instead of the real Spotify endpoint. */
export async function respondWithSpotifyFault(
  fault: Fault,
  family: SpotifyEndpointFamily,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  switch (fault.kind) {
    case "timeout":
      // Accept the body and never answer; the client's own timeout or close() ends it.
      req.resume();
      return;
    case "reset":
      await firstBodyBytes(req);
      req.socket.destroy();
      return;
  }
  await drain(req);
  switch (fault.kind) {
    case "http500":
      // The Web API answers 5xx with its JSON error object; the accounts service with a page.
      if (family === "api") return new SpotifyApiError(500, "Server error.").send(res);
      return sendText(res, 500, "Internal Server Error (injected by the provider emulator)");
    case "malformed":
      send(res, 200, family === "authorize" ? "text/html" : "application/json", '{"access_token": <html>oops');
      return;
    case "invalid_grant":
      sendJson(res, 400, { error: "invalid_grant", error_description: "injected invalid_grant" });
      return;
    case "unauthorized":
      // On the token endpoint: the app's credentials were rejected (say, a rotated secret).
      if (family === "token")
        return sendJson(res, 400, { error: "invalid_client", error_description: "Invalid client" });
      return unauthorized("Invalid access token").send(res);
    case "rate_limited":
      return rateLimited(fault.retryAfterSeconds).send(res);
  }
}
