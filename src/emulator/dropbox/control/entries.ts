import type { TreeNode } from "../files/tree.js";

/** A file or folder as the control API reports it, with the bytes of small files. */
export interface StoredEntry {
  kind: "file" | "folder";
  id: string;
  name: string;
  pathLower: string;
  pathDisplay: string;
  size: number | null;
  contentHash: string | null;
  rev: string | null;
  /** null for folders and for files above storeContentUpToBytes. */
  contentBase64: string | null;
}

export function storedEntry(node: TreeNode): StoredEntry {
  const file = node.kind === "file" ? node : null;
  return {
    kind: node.kind,
    id: node.id,
    name: node.name,
    pathLower: node.pathLower,
    pathDisplay: node.pathDisplay,
    size: file?.size ?? null,
    contentHash: file?.contentHash ?? null,
    rev: file?.rev ?? null,
    contentBase64: file?.content?.toString("base64") ?? null,
  };
}
