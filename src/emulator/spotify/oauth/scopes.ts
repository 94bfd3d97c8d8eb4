/** Spotify's documented authorization scopes; anything else is refused at /authorize. */
const SCOPES = new Set([
  "ugc-image-upload",
  "user-read-playback-state",
  "user-modify-playback-state",
  "user-read-currently-playing",
  "app-remote-control",
  "streaming",
  "playlist-read-private",
  "playlist-read-collaborative",
  "playlist-modify-private",
  "playlist-modify-public",
  "user-follow-modify",
  "user-follow-read",
  "user-read-playback-position",
  "user-top-read",
  "user-read-recently-played",
  "user-library-modify",
  "user-library-read",
  "user-read-email",
  "user-read-private",
  "user-personalized",
  "user-soa-link",
  "user-soa-unlink",
  "soa-manage-entitlements",
  "soa-manage-partner",
  "soa-create-partner",
]);

export type ScopeParse = { ok: true; scopes: string[] } | { ok: false; unknown: string };

/** Space-separated, caller's order, no duplicates. No scope at all is allowed (public data only). */
export function parseSpotifyScopes(raw: string | null): ScopeParse {
  const scopes = [...new Set((raw ?? "").split(" ").filter(Boolean))];
  const unknown = scopes.find((scope) => !SCOPES.has(scope));
  return unknown === undefined ? { ok: true, scopes } : { ok: false, unknown };
}
