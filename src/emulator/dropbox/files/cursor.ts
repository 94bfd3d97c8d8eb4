/**
 * A list_folder cursor. It is stateless (everything needed is inside) and pages by
 * change sequence: entries with after < seq <= upTo, oldest first. Once a listing is
 * complete the cursor moves on to "changes after upTo", as Dropbox cursors do.
 */
export interface ListCursor {
  v: 1;
  accountId: string;
  generation: string;
  folderLower: string;
  recursive: boolean;
  limit: number | null;
  after: number;
  /** Fixed when a listing round starts, so later changes wait for the next round. */
  upTo: number | null;
}

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(raw: string): ListCursor | null {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<ListCursor>;
    const valid =
      value.v === 1 &&
      typeof value.accountId === "string" &&
      typeof value.generation === "string" &&
      typeof value.folderLower === "string" &&
      typeof value.recursive === "boolean" &&
      (value.limit === null || typeof value.limit === "number") &&
      typeof value.after === "number" &&
      (value.upTo === null || typeof value.upTo === "number");
    return valid ? (value as ListCursor) : null;
  } catch {
    return null;
  }
}
