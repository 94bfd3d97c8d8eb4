import type { TreeNode } from "./tree.js";

/** Dropbox timestamps are ISO 8601 in UTC without fractional seconds. */
export function dropboxTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** FolderMetadata / FileMetadata as Dropbox serialises them (optional fields omitted). */
export function metadataJson(node: TreeNode): Record<string, unknown> {
  const common = { name: node.name, path_lower: node.pathLower, path_display: node.pathDisplay, id: node.id };
  if (node.kind === "folder") return { ".tag": "folder", ...common };
  return {
    ".tag": "file",
    ...common,
    client_modified: dropboxTime(node.clientModified),
    server_modified: dropboxTime(node.serverModified),
    rev: node.rev,
    size: node.size,
    is_downloadable: true,
    content_hash: node.contentHash,
  };
}
