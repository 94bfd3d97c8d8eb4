import type { IncomingMessage, ServerResponse } from "node:http";
import { drain, firstBodyBytes } from "../http/body.js";
import { send, sendJson, sendText } from "../http/respond.js";
import type { Fault } from "../faults.js";
import { authError, rateLimited } from "./api/errors.js";
import type { EndpointFamily } from "./endpoints.js";

/** Plays an injected fault instead of the real endpoint. */
export async function respondWithFault(
  fault: Fault,
  family: EndpointFamily,
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
  // Everything else answers, after taking the whole body like a real server would.
  await drain(req);
  switch (fault.kind) {
    case "http500":
      sendText(res, 500, "Internal Server Error (injected by the provider emulator)");
      return;
    case "malformed":
      // Claims JSON (or a page) but is neither: exercises the client's parse-error path.
      send(res, 200, family === "authorize" ? "text/html" : "application/json", '{"access_token": <html>oops');
      return;
    case "invalid_grant":
      sendJson(res, 400, { error: "invalid_grant", error_description: "injected invalid_grant" });
      return;
    case "unauthorized":
      authError("invalid_access_token").send(res);
      return;
    case "rate_limited":
      rateLimited(fault.retryAfterSeconds).send(res);
      return;
  }
}
