import type { Router } from "../../http/router.js";
import type { FaultKind } from "../../faults.js";
import { field, mountControl, OK, type ControlBody as Body, type ControlOperation } from "../../control/json-control.js";
import type { Decision } from "../oauth/decide.js";
import type { DropboxEmulatorControl } from "./control.js";
import type { LinkAudience } from "../sharing/shared-links.js";

export const CONTROL_PREFIX = "/__emulator/dropbox";

function fileContent(body: Body): string | Buffer {
  if (typeof body.contentBase64 === "string") return Buffer.from(body.contentBase64, "base64");
  return field<string>(body, "content", "string");
}

/** Every control operation under CONTROL_PREFIX. Void actions answer {"ok":true}. */
function operations(control: DropboxEmulatorControl): ControlOperation[] {
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
    ["GET", "/shared-links", (_body, url) => control.listSharedLinks(url.searchParams.get("accountId") ?? "")],
    [
      "POST",
      "/shared-links",
      (body) =>
        control.createSharedLink(
          field(body, "accountId", "string"),
          field(body, "path", "string"),
          field<LinkAudience | undefined>(body, "audience", "string", true),
        ),
    ],
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

/** Mounts the JSON control API under /__emulator/dropbox. */
export function addControlRoutes(router: Router, control: DropboxEmulatorControl): void {
  mountControl(router, CONTROL_PREFIX, operations(control));
}
