import { freeName, isDisallowedName } from "./names.js";
import { lowerPath, type FileContent, type FileNode, type FileTree, type FolderNode } from "./tree.js";

export type WriteErrorTag =
  | "malformed_path"
  | "disallowed_name"
  | "insufficient_space"
  | "conflict/file"
  | "conflict/folder"
  | "conflict/file_ancestor";

/** Dropbox's WriteError; each route wraps it in its own error union. */
export class WriteFailure extends Error {
  constructor(readonly tag: WriteErrorTag) {
    super(tag);
  }

  /** The union as JSON, e.g. {".tag":"conflict","conflict":{".tag":"file"}}. */
  json(): Record<string, unknown> {
    const [tag = "", member] = this.tag.split("/");
    return member === undefined ? { ".tag": tag } : { ".tag": tag, [tag]: { ".tag": member } };
  }
}

export type WriteMode = { kind: "add" } | { kind: "overwrite" } | { kind: "update"; rev: string };

export interface FileCommit extends FileContent {
  mode: WriteMode;
  autorename: boolean;
  /** Dropbox: conflict even when the contents are identical (or the updated file is gone). */
  strictConflict: boolean;
}

/** Names must be storable, and no ancestor may be a file. */
function checkTarget(tree: FileTree, parts: readonly string[]): void {
  if (parts.length === 0) throw new WriteFailure("malformed_path");
  if (parts.some(isDisallowedName)) throw new WriteFailure("disallowed_name");
  for (let depth = 1; depth < parts.length; depth += 1) {
    if (tree.get(lowerPath(parts.slice(0, depth)))?.kind === "file") throw new WriteFailure("conflict/file_ancestor");
  }
}

/** Creates missing ancestors (Dropbox writes create parent folders) and returns the parent's display path. */
function ensureParent(tree: FileTree, parts: readonly string[]): string {
  let display = "";
  for (let depth = 1; depth < parts.length; depth += 1) {
    const existing = tree.get(lowerPath(parts.slice(0, depth)));
    display = existing ? existing.pathDisplay : tree.addFolder(display, parts[depth - 1] as string).pathDisplay;
  }
  return display;
}

function nameOf(parts: readonly string[]): string {
  return parts[parts.length - 1] as string;
}

export function createFolder(tree: FileTree, parts: string[], autorename: boolean): FolderNode {
  checkTarget(tree, parts);
  let name = nameOf(parts);
  const existing = tree.get(lowerPath(parts));
  if (existing) {
    if (!autorename) throw new WriteFailure(existing.kind === "file" ? "conflict/file" : "conflict/folder");
    name = freeName(tree, lowerPath(parts.slice(0, -1)), name, false);
  }
  return tree.addFolder(ensureParent(tree, parts), name);
}

/** Writes an uploaded file following Dropbox's WriteMode rules; returns the resulting (or unchanged) file. */
export function commitFile(tree: FileTree, quotaBytes: number | null, parts: string[], commit: FileCommit): FileNode {
  checkTarget(tree, parts);
  const existing = tree.get(lowerPath(parts));
  const content: FileContent = {
    size: commit.size,
    contentHash: commit.contentHash,
    content: commit.content,
    clientModified: commit.clientModified,
  };

  let replace: FileNode | null = null;
  let name = nameOf(parts);
  const rename = (conflict: WriteErrorTag) => {
    if (!commit.autorename) throw new WriteFailure(conflict);
    name = freeName(tree, lowerPath(parts.slice(0, -1)), name, true);
  };

  if (existing?.kind === "folder") {
    rename("conflict/folder");
  } else if (existing) {
    const identical = existing.contentHash === commit.contentHash;
    const updatesIt = commit.mode.kind === "update" && commit.mode.rev === existing.rev;
    if (commit.mode.kind === "overwrite" || updatesIt) {
      if (identical) return existing;
      replace = existing;
    } else if (identical && !commit.strictConflict) {
      return existing; // Dropbox does not call re-uploading the same bytes a conflict.
    } else {
      rename("conflict/file");
    }
  } else if (commit.mode.kind === "update" && commit.strictConflict) {
    throw new WriteFailure("conflict/file");
  }

  const freed = replace?.size ?? 0;
  if (quotaBytes !== null && tree.usedBytes() - freed + commit.size > quotaBytes) {
    throw new WriteFailure("insufficient_space");
  }
  if (replace) return tree.replaceFile(replace, content);
  return tree.addFile(ensureParent(tree, parts), name, content);
}
