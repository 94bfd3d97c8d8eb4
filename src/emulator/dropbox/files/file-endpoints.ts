import type { RpcEndpoint } from "../api/dispatch.js";
import { routeError } from "../api/errors.js";
import { listFolder, listFolderContinue } from "./list-folder.js";
import { metadataJson } from "./metadata.js";
import { nodeAtPath } from "./node-at.js";
import { readPath, resolveParts } from "./paths.js";
import { createFolder, WriteFailure } from "./write.js";

/** The RPC (non-content) files routes. */
export const fileEndpoints: RpcEndpoint[] = [
  {
    style: "rpc",
    path: "/2/files/list_folder",
    route: "files/list_folder",
    key: "list_folder",
    scope: "files.metadata.read",
    takesArg: true,
    handle: (ctx, args) => listFolder(ctx, args),
  },
  {
    style: "rpc",
    path: "/2/files/list_folder/continue",
    route: "files/list_folder/continue",
    key: "list_folder_continue",
    scope: "files.metadata.read",
    takesArg: true,
    handle: (ctx, args) => listFolderContinue(ctx, args),
  },
  {
    style: "rpc",
    path: "/2/files/get_metadata",
    route: "files/get_metadata",
    key: "get_metadata",
    scope: "files.metadata.read",
    takesArg: true,
    handle: (ctx, args) => metadataJson(nodeAtPath(ctx, args)),
  },
  {
    style: "rpc",
    path: "/2/files/create_folder_v2",
    route: "files/create_folder_v2",
    key: "create_folder_v2",
    scope: "files.content.write",
    takesArg: true,
    handle: (ctx, args) => {
      const ref = readPath(args, "path", "write");
      const autorename = args.boolean("autorename", false);
      const tree = ctx.state.drive(ctx.account.accountId);
      try {
        const parts = ref === "malformed" ? null : resolveParts(tree, ref);
        if (parts === null) throw new WriteFailure("malformed_path");
        return { metadata: metadataJson(createFolder(tree, parts, autorename)) };
      } catch (error) {
        if (!(error instanceof WriteFailure)) throw error;
        throw routeError(`path/${error.tag}`, { ".tag": "path", path: error.json() });
      }
    },
  },
];
