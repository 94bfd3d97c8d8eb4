import type { FileTree } from "./tree.js";

/** Names Dropbox refuses to store (it ignores these files when syncing too). */
const DISALLOWED = new Set(["desktop.ini", "thumbs.db", ".ds_store", ".dropbox", ".dropbox.attr"]);

export function isDisallowedName(name: string): boolean {
  // Control characters cover "Icon\r", the macOS folder-icon file Dropbox also refuses.
  return DISALLOWED.has(name.toLowerCase()) || /[\u0000-\u001f\u007f]/.test(name);
}

/** Dropbox's autorename: "report.pdf" becomes "report (1).pdf", folders "Photos (1)". */
export function freeName(tree: FileTree, parentLower: string, name: string, isFile: boolean): string {
  const dot = isFile ? name.lastIndexOf(".") : -1;
  const base = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : "";
  for (let n = 1; ; n += 1) {
    const candidate = `${base} (${n})${extension}`;
    if (!tree.get(`${parentLower}/${candidate.toLowerCase()}`)) return candidate;
  }
}
