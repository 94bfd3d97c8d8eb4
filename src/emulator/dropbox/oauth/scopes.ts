/** The user-level scopes a Dropbox app can request; anything else is refused at /oauth2/authorize. */
const USER_SCOPES = new Set([
  "account_info.read",
  "account_info.write",
  "contacts.read",
  "contacts.write",
  "file_requests.read",
  "file_requests.write",
  "files.content.read",
  "files.content.write",
  "files.metadata.read",
  "files.metadata.write",
  "files.permanent_delete",
  "sharing.read",
  "sharing.write",
  "openid",
  "email",
  "profile",
]);

/** What the emulator grants when the authorize request names no scope (brief: account info only). */
export const DEFAULT_SCOPES: readonly string[] = ["account_info.read"];

/**
 * Dropbox scopes depend on each other (the app console enables the dependencies of
 * a scope along with it), so a token holding a scope may use what that scope implies.
 */
const IMPLIES: Record<string, readonly string[]> = {
  "account_info.write": ["account_info.read"],
  "contacts.write": ["contacts.read"],
  "file_requests.write": ["file_requests.read"],
  "files.metadata.write": ["files.metadata.read"],
  "files.content.read": ["files.metadata.read"],
  "files.content.write": ["files.content.read", "files.metadata.write", "files.metadata.read"],
  "sharing.write": ["sharing.read"],
};

export type ScopeParse = { ok: true; scopes: string[] } | { ok: false; unknown: string };

/** Parses a space-separated scope parameter, keeping the caller's order without duplicates. */
export function parseScopes(raw: string | null): ScopeParse {
  const scopes = [...new Set((raw ?? "").split(" ").filter(Boolean))];
  const unknown = scopes.find((scope) => !USER_SCOPES.has(scope));
  if (unknown !== undefined) return { ok: false, unknown };
  return { ok: true, scopes };
}

export function scopeSatisfied(granted: readonly string[], required: string): boolean {
  return granted.some((scope) => scope === required || (IMPLIES[scope] ?? []).includes(required));
}
