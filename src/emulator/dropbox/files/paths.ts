import type { ArgReader } from "../api/args.js";
import type { FileTree } from "./tree.js";

/** A path argument: root, a slash path, an "id:" path (optionally with a relative tail), or one we don't model. */
export type PathRef =
  | { kind: "root" }
  | { kind: "path"; parts: string[] }
  | { kind: "id"; id: string; parts: string[] }
  /** ns:/rev: lookups pass Dropbox's pattern, but this emulator has no namespaces or revision history. */
  | { kind: "unsupported" };

/** Which Dropbox path pattern applies: they differ in whether root and rev: are allowed. */
export type PathRule = "list_folder" | "get_metadata" | "write";

const PATTERNS: Record<PathRule, string> = {
  list_folder: "(/(.|[\\r\\n])*)?|id:.*|(ns:[0-9]+(/.*)?)",
  get_metadata: "(/(.|[\\r\\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)",
  write: "(/(.|[\\r\\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)",
};

function components(tail: string): string[] | "malformed" {
  if (tail === "") return [];
  const parts = tail.split("/");
  return parts.some((part) => part === "" || part === "." || part === "..") ? "malformed" : parts;
}

/** Components of a well-formed absolute path ("/a/b"), or null. */
export function parseSlashPath(raw: string): string[] | null {
  if (!raw.startsWith("/")) return null;
  const parts = components(raw.slice(1));
  return parts === "malformed" || parts.length === 0 ? null : parts;
}

/**
 * Reads a path argument. Pattern violations are 400 bad input (thrown through args);
 * paths that match the pattern but are not well formed ("/a/", "//a") return "malformed",
 * which each route reports as its own 409 error.
 */
export function readPath(args: ArgReader, field: string, rule: PathRule): PathRef | "malformed" {
  const raw = args.string(field);
  if (raw === "" && rule === "list_folder") return { kind: "root" };
  if (raw === "" || raw === "/") {
    if (rule === "list_folder") args.fail(field, 'Specify the root folder as an empty string rather than as "/".');
    if (rule === "get_metadata") args.fail(field, "The root folder is unsupported.");
  }
  if (raw.startsWith("/")) {
    const parts = parseSlashPath(raw);
    return parts === null ? "malformed" : { kind: "path", parts };
  }
  if (raw.startsWith("id:")) {
    const [id = "", ...rest] = raw.split("/");
    const parts = components(rest.join("/"));
    return parts === "malformed" || id === "id:" ? "malformed" : { kind: "id", id, parts };
  }
  if (/^ns:[0-9]+(\/.*)?$/s.test(raw) || (rule === "get_metadata" && /^rev:[0-9a-f]{9,}$/.test(raw))) {
    return { kind: "unsupported" };
  }
  return args.fail(field, `'${raw}' did not match pattern '${PATTERNS[rule]}'`);
}

/** Display-case components of the referenced path, or null when an id does not resolve. */
export function resolveParts(tree: FileTree, ref: PathRef): string[] | null {
  switch (ref.kind) {
    case "root":
      return [];
    case "path":
      return ref.parts;
    case "id": {
      const node = tree.getById(ref.id);
      if (!node || (node.kind === "file" && ref.parts.length > 0)) return null;
      return [...node.pathDisplay.slice(1).split("/"), ...ref.parts];
    }
    case "unsupported":
      return null;
  }
}
