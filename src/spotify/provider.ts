import type { Config } from "../config.js";
import { createOAuthConfiguration, type Fetch } from "../oauth/openid.js";
import type { OAuthProvider } from "../oauth/provider.js";
import { spotifyGet } from "./api.js";

/**
 * What we use: the user's identity (/v1/me needs no scope) and their playlists, private ones
 * included. Search, tracks and public playlists need no scope at all.
 */
export const SPOTIFY_SCOPES = ["playlist-read-private", "playlist-read-collaborative"] as const;

export function createSpotifyProvider(config: NonNullable<Config["spotify"]>, fetchImpl: Fetch, timeoutMs: number): OAuthProvider {
  const http = { apiUrl: config.apiUrl, fetch: fetchImpl, timeoutMs };
  return {
    id: "SPOTIFY",
    scopes: SPOTIFY_SCOPES,
    authorizeParams: {},
    redirectUri: config.redirectUri,
    defaultAccessTokenTtlSeconds: 3600,
    configuration: createOAuthConfiguration(config, fetchImpl, timeoutMs),
    reconnectHint: "Spotify authorizations expire six months after you connect",
    async fetchAccount(accessToken) {
      const me = await spotifyGet<{ id: string; display_name?: string | null }>(http, "/v1/me", accessToken);
      return { accountId: me.id, accountName: me.display_name ?? me.id };
    },
  };
}
