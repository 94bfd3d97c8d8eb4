export interface SpotifyAccountConfig {
  /** The Spotify user id (a username, not a base62 id). */
  id: string;
  displayName: string;
  email?: string;
  /** Subscription level reported by /v1/me (default "premium"). */
  product?: "premium" | "free";
  /** ISO 3166-1 alpha-2 (default "GB"). */
  country?: string;
}

export interface SpotifyAccount {
  id: string;
  displayName: string;
  email: string;
  product: "premium" | "free";
  country: string;
}

export const DEFAULT_SPOTIFY_ACCOUNTS: readonly SpotifyAccountConfig[] = [
  { id: "spotify-alice", displayName: "Alice Listener", email: "alice@example.com", product: "premium", country: "GB" },
  { id: "spotify-bob", displayName: "Bob Listener", email: "bob@example.com", product: "free", country: "US" },
];

export function toSpotifyAccounts(configs: readonly SpotifyAccountConfig[]): SpotifyAccount[] {
  if (configs.length === 0) throw new Error("provider emulator: at least one Spotify account is required");
  const seen = new Set<string>();
  return configs.map((config) => {
    if (seen.has(config.id)) throw new Error(`provider emulator: duplicate Spotify account id ${config.id}`);
    seen.add(config.id);
    return {
      id: config.id,
      displayName: config.displayName,
      email: config.email ?? `${config.id}@example.com`,
      product: config.product ?? "premium",
      country: config.country ?? "GB",
    };
  });
}

/** The public user object Spotify embeds as a playlist owner or added_by. */
export function publicUserJson(base: string, id: string, displayName: string | null): Record<string, unknown> {
  return {
    display_name: displayName,
    external_urls: { spotify: `https://open.spotify.com/user/${encodeURIComponent(id)}` },
    href: `${base}/v1/users/${encodeURIComponent(id)}`,
    id,
    type: "user",
    uri: `spotify:user:${id}`,
  };
}

/**
 * GET /v1/me. Like Spotify, email needs user-read-email and country, product and
 * explicit_content need user-read-private; without them the fields are simply absent.
 */
export function currentUserJson(
  base: string,
  account: SpotifyAccount,
  scopes: readonly string[],
): Record<string, unknown> {
  const email = scopes.includes("user-read-email") ? { email: account.email } : {};
  const priv = scopes.includes("user-read-private")
    ? {
        country: account.country,
        product: account.product,
        explicit_content: { filter_enabled: false, filter_locked: false },
      }
    : {};
  return {
    ...publicUserJson(base, account.id, account.displayName),
    followers: { href: null, total: 0 },
    images: [],
    ...email,
    ...priv,
  };
}
