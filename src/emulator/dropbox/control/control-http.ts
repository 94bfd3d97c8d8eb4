import {
  field,
  mountControl,
  OK,
  type ControlBody as Body,
  type ControlOperation,
} from "../../control/json-control.js";
import { oauthControlOperations } from "../../control/oauth-control-http.js";
import type { Router } from "../../http/router.js";
import type { DropboxEmulatorControl } from "./control.js";
import type { LinkAudience } from "../sharing/shared-links.js";

export const CONTROL_PREFIX = "/__emulator/dropbox";

function fileContent(body: Body): string | Buffer {
  if (typeof body.contentBase64 === "string") return Buffer.from(body.contentBase64, "base64");
  return field<string>(body, "content", "string");
}

/** Dropbox's own control operations beside the OAuth ones. Void actions answer {"ok":true}. */
function dropboxOperations(control: DropboxEmulatorControl): ControlOperation[] {
  return [
    ["PUT", "/list-folder-page-size", (body) => (control.setListFolderPageSize(field(body, "size", "number")), OK)],
    [
      "POST",
      "/folders",
      (body) => control.createFolder(field(body, "accountId", "string"), field(body, "path", "string")),
    ],
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
  mountControl(router, CONTROL_PREFIX, [...oauthControlOperations(control), ...dropboxOperations(control)]);
}
