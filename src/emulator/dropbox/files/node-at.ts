import type { ArgReader } from "../api/args.js";
import type { ApiContext } from "../api/dispatch.js";
import { lookupError } from "../api/errors.js";
import { readPath, resolveParts } from "./paths.js";
import { lowerPath, type TreeNode } from "./tree.js";

/**
 * The file or folder the `path` argument names (get_metadata's path pattern), for get_metadata
 * and the sharing routes; a LookupError (malformed_path, not_found) otherwise.
 */
export function nodeAtPath(ctx: ApiContext, args: ArgReader): TreeNode {
  const ref = readPath(args, "path", "get_metadata");
  if (ref === "malformed") throw lookupError("malformed_path");
  const tree = ctx.state.drive(ctx.account.accountId);
  const parts = resolveParts(tree, ref);
  const node = parts === null ? undefined : tree.get(lowerPath(parts));
  if (!node) throw lookupError("not_found");
  return node;
}
