import type { IncomingMessage, ServerResponse } from "node:http";
import type { EndpointFamily, Fault } from "../faults.js";
import { drain, firstBodyBytes } from "./body.js";
import { send, sendJson, sendText } from "./respond.js";

/** The answers a provider words its own way; every other fault is played alike. */
interface FaultAnswers {
  /** A 500 from the API; without it, the plain text 500 the OAuth endpoints give. */
  apiHttp500?: (res: ServerResponse) => void;
  unauthorized: (family: EndpointFamily, res: ServerResponse) => void;
  rateLimited: (retryAfterSeconds: number, res: ServerResponse) => void;
}

export type FaultResponder = (
  fault: Fault,
  family: EndpointFamily,
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<void>;

/**
 * Plays an injected fault instead of the real endpoint. lost_response is the API dispatcher's
 * to play (the request must take effect first), so here it gets no answer.
 */
export function faultResponder(answers: FaultAnswers): FaultResponder {
  return async (fault, family, req, res) => {
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
        if (family === "api" && answers.apiHttp500) return answers.apiHttp500(res);
        return sendText(res, 500, "Internal Server Error (injected by the provider emulator)");
      case "malformed":
        // Claims JSON (or a page) but is neither: exercises the client's parse-error path.
        return send(res, 200, family === "authorize" ? "text/html" : "application/json", '{"access_token": <html>oops');
      case "invalid_grant":
        return sendJson(res, 400, { error: "invalid_grant", error_description: "injected invalid_grant" });
      case "unauthorized":
        return answers.unauthorized(family, res);
      case "rate_limited":
        return answers.rateLimited(fault.retryAfterSeconds, res);
    }
  };
}
