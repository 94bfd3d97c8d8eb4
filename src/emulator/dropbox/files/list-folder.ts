import type { ArgReader } from "../api/args.js";
import type { ApiContext } from "../api/dispatch.js";
import { lookupError, routeError } from "../api/errors.js";
import { decodeCursor, encodeCursor, type ListCursor } from "./cursor.js";
import { metadataJson } from "./metadata.js";
import { readPath, resolveParts } from "./paths.js";
import { lowerPath, type FileTree, type TreeNode } from "./tree.js";

/** Dropbox's hard maximum for list_folder's limit. */
const MAX_LIMIT = 2000;

export function listFolder(ctx: ApiContext, args: ArgReader): unknown {
  const ref = readPath(args, "path", "list_folder");
  const recursive = args.boolean("recursive", false);
  const limit = args.integer("limit", 1, MAX_LIMIT) ?? null;
  if (ref === "malformed") throw lookupError("malformed_path");
  const tree = ctx.state.drive(ctx.account.accountId);
  const parts = resolveParts(tree, ref);
  if (parts === null) throw lookupError("not_found");
  const folderLower = lowerPath(parts);
  const node = tree.get(folderLower);
  if (folderLower !== "" && !node) throw lookupError("not_found");
  if (node?.kind === "file") throw lookupError("not_folder");
  return page(ctx, tree, {
    v: 1,
    accountId: ctx.account.accountId,
    generation: tree.generation,
    folderLower,
    recursive,
    limit,
    after: 0,
    upTo: null,
  });
}

export function listFolderContinue(ctx: ApiContext, args: ArgReader): unknown {
  const cursor = decodeCursor(args.string("cursor"));
  if (!cursor || cursor.accountId !== ctx.account.accountId) args.fail("cursor", "Invalid cursor");
  const tree = ctx.state.drive(ctx.account.accountId);
  // The account's files were reset since the cursor was issued: Dropbox says start over.
  if (cursor.generation !== tree.generation) throw routeError("reset", { ".tag": "reset" });
  return page(ctx, tree, cursor);
}

function page(ctx: ApiContext, tree: FileTree, cursor: ListCursor): unknown {
  const folder = tree.get(cursor.folderLower);
  if (cursor.folderLower !== "" && folder?.kind !== "folder") throw lookupError("not_found");
  const upTo = cursor.upTo ?? tree.latestSeq;
  // A recursive listing of a folder includes the folder itself, as Dropbox's does.
  const self: TreeNode[] = cursor.recursive && folder ? [folder] : [];
  const pending = [...self, ...tree.list(cursor.folderLower, cursor.recursive)]
    .filter((node) => node.seq > cursor.after && node.seq <= upTo)
    .sort((a, b) => a.seq - b.seq);
  const size = cursor.limit ?? ctx.state.settings.listFolderPageSize;
  const entries = pending.slice(0, size);
  const last = entries[entries.length - 1];
  const hasMore = pending.length > size && last !== undefined;
  const next: ListCursor = hasMore ? { ...cursor, upTo, after: last.seq } : { ...cursor, upTo: null, after: upTo };
  return { entries: entries.map(metadataJson), cursor: encodeCursor(next), has_more: hasMore };
}
