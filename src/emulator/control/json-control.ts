import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/body.js";
import { sendJson } from "../http/respond.js";
import type { Router } from "../http/router.js";
import { ControlError } from "./control-error.js";

export type ControlBody = Record<string, unknown>;

/** One control operation: [method, path under the provider's prefix, action]. */
export type ControlOperation = [string, string, (body: ControlBody, url: URL) => unknown];

/** The answer of control operations that return nothing. */
export const OK = { ok: true };

export function field<T>(body: ControlBody, name: string, type: "string" | "number" | "boolean", optional = false): T {
  const value = body[name];
  if (value === undefined && optional) return undefined as T;
  if (typeof value !== type) throw new ControlError(`"${name}" must be a ${type}`);
  return value as T;
}

async function readJson(req: IncomingMessage): Promise<ControlBody> {
  const raw = await readBody(req, 64 * 1024 * 1024);
  if (raw === null) throw new ControlError("body too large");
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ControlError("body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ControlError("body must be a JSON object");
  }
  return value as ControlBody;
}

/** Mounts JSON control operations under a prefix; a ControlError becomes 400 {"error"}. */
export function mountControl(router: Router, prefix: string, operations: readonly ControlOperation[]): void {
  for (const [method, path, action] of operations) {
    router.add(method, `${prefix}${path}`, async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      try {
        sendJson(res, 200, action(await readJson(req), url));
      } catch (error) {
        if (!(error instanceof ControlError)) throw error;
        sendJson(res, 400, { error: error.message });
      }
    });
  }
}
