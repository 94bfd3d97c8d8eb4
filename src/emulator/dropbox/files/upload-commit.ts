import type { ArgReader } from "../api/args.js";
import type { ApiContext } from "../api/dispatch.js";
import { readPath, resolveParts, type PathRef } from "./paths.js";
import type { FileNode } from "./tree.js";
import { commitFile, WriteFailure, type WriteMode } from "./write.js";

/** The CommitInfo shared by /2/files/upload and upload_session/finish. */
export interface CommitInfo {
  path: PathRef | "malformed";
  mode: WriteMode;
  autorename: boolean;
  strictConflict: boolean;
  clientModified: number | null;
}

export function readCommitInfo(args: ArgReader): CommitInfo {
  const path = readPath(args, "path", "write");
  const mode = args.union("mode", "add");
  let writeMode: WriteMode;
  if (mode.tag === "add" || mode.tag === "overwrite") {
    writeMode = { kind: mode.tag };
  } else if (mode.tag === "update" && typeof mode.value.update === "string") {
    writeMode = { kind: "update", rev: mode.value.update };
  } else {
    args.fail("mode", `unknown or incomplete write mode "${mode.tag}"`);
  }
  const clientModified = args.optionalString("client_modified");
  const clientModifiedMs = clientModified === undefined ? null : Date.parse(clientModified);
  if (Number.isNaN(clientModifiedMs)) args.fail("client_modified", "expected a timestamp like 2015-05-12T15:50:38Z");
  args.boolean("mute", false); // type-checked only: the emulator sends no notifications
  return {
    path,
    mode: writeMode,
    autorename: args.boolean("autorename", false),
    strictConflict: args.boolean("strict_conflict", false),
    clientModified: clientModifiedMs,
  };
}

export interface UploadedContent {
  size: number;
  contentHash: string;
  content: Buffer | null;
}

/** Writes the uploaded bytes to the account's tree; throws WriteFailure for the route to wrap. */
export function commitUpload(ctx: ApiContext, info: CommitInfo, uploaded: UploadedContent): FileNode {
  const tree = ctx.state.drive(ctx.account.accountId);
  const parts = info.path === "malformed" ? null : resolveParts(tree, info.path);
  if (parts === null) throw new WriteFailure("malformed_path");
  return commitFile(tree, ctx.state.quotaBytes(ctx.account.accountId), parts, {
    ...uploaded,
    mode: info.mode,
    autorename: info.autorename,
    strictConflict: info.strictConflict,
    clientModified: info.clientModified ?? ctx.emu.clock(),
  });
}
