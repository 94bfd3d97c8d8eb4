import {
  DEFAULT_SPOTIFY_ACCOUNTS,
  toSpotifyAccounts,
  type SpotifyAccount,
  type SpotifyAccountConfig,
} from "./accounts.js";

export interface SpotifyClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Shown on the consent page (default: the client id). */
  name?: string;
}

export interface SpotifyOptions {
  clients: SpotifyClientConfig[];
  /** Spotify: one hour. */
  accessTokenTtlSeconds?: number;
  autoApprove?: boolean;
  /** When true each refresh returns a new refresh_token and the old one stops working (default false). */
  rotateRefreshTokens?: boolean;
  /** How long a refresh token works after it was issued (default 6 months = 15552000 s). */
  refreshTokenLifetimeSeconds?: number;
  accounts?: SpotifyAccountConfig[];
}

/** The client `npm run emulator` registers, and the one used when no Spotify options are given. */
export const DEV_SPOTIFY_CLIENT: SpotifyClientConfig = {
  clientId: "dev-spotify-id",
  clientSecret: "dev-spotify-secret",
  // Spotify refuses localhost redirect URIs; loopback must be written as an IP literal.
  redirectUris: ["http://127.0.0.1:5000/auth/spotify/callback"],
};

/** Everything the control API can change at run time; reset() returns to these defaults. */
export interface SpotifySettings {
  autoApprove: boolean;
  rotateRefreshTokens: boolean;
  accessTokenTtlSeconds: number;
  browserAccountId: string;
}

export interface SpotifyConfig {
  clients: Map<string, SpotifyClientConfig>;
  accounts: SpotifyAccount[];
  refreshTokenLifetimeSeconds: number;
  defaults: SpotifySettings;
}

export function resolveSpotifyConfig(options: SpotifyOptions | undefined): SpotifyConfig {
  const clients = new Map((options?.clients ?? [DEV_SPOTIFY_CLIENT]).map((client) => [client.clientId, client]));
  const accounts = toSpotifyAccounts(options?.accounts ?? DEFAULT_SPOTIFY_ACCOUNTS);
  const first = accounts[0] as SpotifyAccount; // toSpotifyAccounts refuses an empty list
  return {
    clients,
    accounts,
    refreshTokenLifetimeSeconds: options?.refreshTokenLifetimeSeconds ?? 15_552_000,
    defaults: {
      autoApprove: options?.autoApprove ?? false,
      rotateRefreshTokens: options?.rotateRefreshTokens ?? false,
      accessTokenTtlSeconds: options?.accessTokenTtlSeconds ?? 3600,
      browserAccountId: first.id,
    },
  };
}
