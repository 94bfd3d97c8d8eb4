import type { RpcEndpoint } from "../api/dispatch.js";
import { routeError } from "../api/errors.js";
import { nodeAtPath } from "../files/node-at.js";
import type { FileTree, TreeNode } from "../files/tree.js";
import { linkMetadataJson, readLinkSettings } from "./shared-links.js";

/** Folders containing `node`, innermost first: list_shared_links reports their links too unless direct_only. */
function ancestors(tree: FileTree, node: TreeNode): TreeNode[] {
  const parts = node.pathLower.split("/").slice(1, -1);
  const found: TreeNode[] = [];
  for (let depth = parts.length; depth > 0; depth -= 1) {
    const folder = tree.get(`/${parts.slice(0, depth).join("/")}`);
    if (folder) found.push(folder);
  }
  return found;
}

export const sharingEndpoints: RpcEndpoint[] = [
  {
    style: "rpc",
    path: "/2/sharing/create_shared_link_with_settings",
    route: "sharing/create_shared_link_with_settings",
    key: "create_shared_link_with_settings",
    scope: "sharing.write",
    takesArg: true,
    handle: (ctx, args) => {
      const node = nodeAtPath(ctx, args);
      const settings = readLinkSettings(args);
      const links = ctx.state.links;
      const existing = links.find(ctx.account.accountId, node.id);
      if (existing) {
        // Dropbox describes the existing link only when it already has the settings asked for;
        // otherwise the caller has to look it up (list_shared_links) and decide.
        const same = existing.audience === settings.audience && existing.access === settings.access;
        throw routeError(
          same ? "shared_link_already_exists/metadata" : "shared_link_already_exists",
          same
            ? {
                ".tag": "shared_link_already_exists",
                shared_link_already_exists: { ".tag": "metadata", metadata: linkMetadataJson(existing, node) },
              }
            : { ".tag": "shared_link_already_exists" },
        );
      }
      return linkMetadataJson(links.create(ctx.account.accountId, node, settings), node);
    },
  },
  {
    style: "rpc",
    path: "/2/sharing/list_shared_links",
    route: "sharing/list_shared_links",
    key: "list_shared_links",
    scope: "sharing.read",
    takesArg: true,
    handle: (ctx, args) => {
      // The emulator answers in one page and never hands out a cursor to come back with.
      if (args.optionalString("cursor") !== undefined) throw routeError("reset", { ".tag": "reset" });
      const directOnly = args.boolean("direct_only", false);
      const accountId = ctx.account.accountId;
      const tree = ctx.state.drive(accountId);
      if (args.optionalString("path") === undefined) {
        const links = ctx.state.links.list(accountId).flatMap((link) => {
          const node = tree.getById(link.nodeId);
          return node ? [linkMetadataJson(link, node)] : [];
        });
        return { links, has_more: false };
      }
      const node = nodeAtPath(ctx, args);
      const links = (directOnly ? [node] : [node, ...ancestors(tree, node)]).flatMap((item) => {
        const link = ctx.state.links.find(accountId, item.id);
        return link ? [linkMetadataJson(link, item)] : [];
      });
      return { links, has_more: false };
    },
  },
];
