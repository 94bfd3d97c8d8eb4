import { randomBytes } from "node:crypto";

interface NodeBase {
  id: string;
  name: string;
  pathLower: string;
  pathDisplay: string;
  /** Position in the account's change sequence; list_folder cursors page and resume by it. */
  seq: number;
}

export interface FolderNode extends NodeBase {
  kind: "folder";
}

export interface FileContent {
  size: number;
  contentHash: string;
  /** Kept only for small files, so large uploads cost no memory. */
  content: Buffer | null;
  clientModified: number;
}

export interface FileNode extends NodeBase, FileContent {
  kind: "file";
  rev: string;
  serverModified: number;
}

export type TreeNode = FolderNode | FileNode;

/** Dropbox paths are case-insensitive: nodes are keyed by the lowercased path. */
export function lowerPath(parts: readonly string[]): string {
  return parts.map((part) => `/${part.toLowerCase()}`).join("");
}

/** One account's files and folders. The root ("") is implicit. */
export class FileTree {
  /** Distinguishes this tree from the one before a reset, so old cursors can be refused. */
  readonly generation = randomBytes(6).toString("base64url");
  private readonly byPath = new Map<string, TreeNode>();
  private readonly byId = new Map<string, TreeNode>();
  private seq = 0;

  constructor(private readonly clock: () => number) {}

  get latestSeq(): number {
    return this.seq;
  }

  get(pathLower: string): TreeNode | undefined {
    return this.byPath.get(pathLower);
  }

  getById(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  /** Children of a folder ("" = root), or all descendants when recursive. */
  list(folderLower: string, recursive: boolean): TreeNode[] {
    const prefix = `${folderLower}/`;
    return [...this.byPath.values()].filter(
      (node) => node.pathLower.startsWith(prefix) && (recursive || !node.pathLower.slice(prefix.length).includes("/")),
    );
  }

  all(): TreeNode[] {
    return [...this.byPath.values()].sort((a, b) => a.pathLower.localeCompare(b.pathLower));
  }

  usedBytes(): number {
    let used = 0;
    for (const node of this.byPath.values()) if (node.kind === "file") used += node.size;
    return used;
  }

  /** parentDisplay is the display path of an existing folder ("" = root). */
  addFolder(parentDisplay: string, name: string): FolderNode {
    const folder: FolderNode = { kind: "folder", ...this.identity(parentDisplay, name), seq: ++this.seq };
    this.insert(folder);
    return folder;
  }

  addFile(parentDisplay: string, name: string, content: FileContent): FileNode {
    const file: FileNode = {
      kind: "file",
      ...this.identity(parentDisplay, name),
      ...content,
      rev: newRev(),
      serverModified: this.clock(),
      seq: ++this.seq,
    };
    this.insert(file);
    return file;
  }

  /** A new revision of an existing file keeps its id and path, as in Dropbox. */
  replaceFile(file: FileNode, content: FileContent): FileNode {
    Object.assign(file, content, { rev: newRev(), serverModified: this.clock(), seq: ++this.seq });
    return file;
  }

  private identity(parentDisplay: string, name: string) {
    const pathDisplay = `${parentDisplay}/${name}`;
    return { id: `id:${randomBytes(16).toString("base64url")}`, name, pathDisplay, pathLower: pathDisplay.toLowerCase() };
  }

  private insert(node: TreeNode): void {
    this.byPath.set(node.pathLower, node);
    this.byId.set(node.id, node);
  }
}

/** Dropbox revisions are at least nine lowercase hex digits. */
function newRev(): string {
  return randomBytes(8).toString("hex");
}
