import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../../http/body.js";
import { sendJson } from "../../http/respond.js";
import type { Router } from "../../http/router.js";
import type { FaultKind } from "../../faults.js";
import { isObject } from "../api/args.js";
import type { Decision } from "../oauth/decide.js";
import type { DropboxEmulatorControl } from "./control.js";
import { ControlError } from "./control-error.js";

export const CONTROL_PREFIX = "/__emulator/dropbox";

type Body = Record<string, unknown>;

function field<T>(body: Body, name: string, type: "string" | "number" | "boolean", optional = false): T {
  const value = body[name];
  if (value === undefined && optional) return undefined as T;
  if (typeof value !== type) throw new ControlError(`"${name}" must be a ${type}`);
  return value as T;
}

function fileContent(body: Body): string | Buffer {
  if (typeof body.contentBase64 === "string") return Buffer.from(body.contentBase64, "base64");
  return field<string>(body, "content", "string");
}

const OK = { ok: true };

/** Every control operation: [method, path under CONTROL_PREFIX, action]. Void actions answer {"ok":true}. */
function operations(control: DropboxEmulatorControl): [string, string, (body: Body, url: URL) => unknown][] {
  return [
    ["GET", "/faults", () => control.listFaults()],
    [
      "POST",
      "/faults",
      (body) => {
        control.injectFault({
          endpoint: field(body, "endpoint", "string"),
          kind: field<FaultKind>(body, "kind", "string"),
          times: field(body, "times", "number", true),
          retryAfterSeconds: field(body, "retryAfterSeconds", "number", true),
        });
        return OK;
      },
    ],
    ["DELETE", "/faults", () => (control.clearFaults(), OK)],
    ["GET", "/calls", () => control.callCounts()],
    ["DELETE", "/calls", () => (control.resetCallCounts(), OK)],
    ["GET", "/tokens", () => control.listTokens()],
    ["POST", "/tokens/expire", () => (control.expireAccessTokens(), OK)],
    ["GET", "/consents", () => control.listPendingConsents()],
    [
      "POST",
      "/consents/decide",
      (body) => control.decideConsent(field(body, "requestId", "string"), field<Decision>(body, "decision", "string")),
    ],
    ["PUT", "/browser-account", (body) => (control.setBrowserAccount(field(body, "accountId", "string")), OK)],
    ["PUT", "/auto-approve", (body) => (control.setAutoApprove(field(body, "enabled", "boolean")), OK)],
    ["PUT", "/access-token-ttl", (body) => (control.setAccessTokenTtl(field(body, "seconds", "number")), OK)],
    ["PUT", "/list-folder-page-size", (body) => (control.setListFolderPageSize(field(body, "size", "number")), OK)],
    [
      "POST",
      "/grants/revoke",
      (body) => control.revokeUserGrant(field(body, "accountId", "string"), field(body, "clientId", "string", true)),
    ],
    ["POST", "/reset", () => (control.reset(), OK)],
    ["POST", "/folders", (body) => control.createFolder(field(body, "accountId", "string"), field(body, "path", "string"))],
    [
      "POST",
      "/files",
      (body) => control.putFile(field(body, "accountId", "string"), field(body, "path", "string"), fileContent(body)),
    ],
    ["GET", "/files", (_body, url) => control.listFiles(url.searchParams.get("accountId") ?? "")],
    ["GET", "/upload-sessions", () => control.listUploadSessions()],
    [
      "PUT",
      "/quota",
      (body) => {
        const bytes = body.bytes === null ? null : field<number>(body, "bytes", "number");
        control.setQuota(field(body, "accountId", "string"), bytes);
        return OK;
      },
    ],
    [
      "PUT",
      "/upload-limits",
      (body) => {
        control.setUploadLimits({
          maxRequestBytes: field(body, "maxRequestBytes", "number", true),
          storeContentUpToBytes: field(body, "storeContentUpToBytes", "number", true),
        });
        return OK;
      },
    ],
  ];
}

async function readJson(req: IncomingMessage): Promise<Body> {
  const raw = await readBody(req, 64 * 1024 * 1024);
  if (raw === null) throw new ControlError("body too large");
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ControlError("body is not JSON");
  }
  if (!isObject(value)) throw new ControlError("body must be a JSON object");
  return value;
}

/** Mounts the JSON control API under /__emulator/dropbox. */
export function addControlRoutes(router: Router, control: DropboxEmulatorControl): void {
  for (const [method, path, action] of operations(control)) {
    router.add(method, `${CONTROL_PREFIX}${path}`, async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      try {
        sendJson(res, 200, action(await readJson(req), url));
      } catch (error) {
        if (!(error instanceof ControlError)) throw error;
        sendJson(res, 400, { error: error.message });
      }
    });
  }
}
