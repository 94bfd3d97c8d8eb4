import type { IncomingMessage } from "node:http";
import { readBody } from "../http/body.js";
import type { Decision } from "./consent-store.js";

/** The consent page's form as posted; decision is null unless it is one of the page's two. */
export async function readDecisionForm(
  req: IncomingMessage,
): Promise<{ decision: Decision | null; requestId: string }> {
  const body = await readBody(req, 16 * 1024);
  const form = new URLSearchParams(body?.toString("utf8") ?? "");
  const decision = form.get("decision");
  return {
    decision: decision === "allow" || decision === "deny" ? decision : null,
    requestId: form.get("request_id") ?? "",
  };
}
