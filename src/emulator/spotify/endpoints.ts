import { faultKindsByKey, type EndpointFamily, type FaultKind } from "../faults.js";

/**
 * Keys for call counts and fault injection. token:<grant_type> keys count (and can fail)
 * one grant type; a fault on plain "token" hits whichever grant type comes next.
 * "tracks" covers both /v1/tracks/{id} and /v1/tracks?ids=.
 */
const FAMILY_BY_KEY = {
  authorize: "authorize",
  token: "token",
  "token:authorization_code": "token",
  "token:refresh_token": "token",
  "token:client_credentials": "token",
  me: "api",
  search: "api",
  tracks: "api",
  playlist: "api",
  playlist_tracks: "api",
  my_playlists: "api",
} as const satisfies Record<string, EndpointFamily>;

export type SpotifyEndpointKey = keyof typeof FAMILY_BY_KEY;
export const SPOTIFY_ENDPOINT_KEYS = Object.keys(FAMILY_BY_KEY) as SpotifyEndpointKey[];

/**
 * invalid_grant only where tokens are granted. "unauthorized" means a rejected bearer token
 * on the API, and rejected client credentials (a rotated secret) on the token endpoint.
 */
const FAULTS_BY_FAMILY: Record<EndpointFamily, readonly FaultKind[]> = {
  authorize: ["http500", "timeout", "malformed", "rate_limited", "reset"],
  token: ["http500", "timeout", "malformed", "invalid_grant", "unauthorized", "rate_limited", "reset"],
  api: ["http500", "timeout", "malformed", "unauthorized", "rate_limited", "reset"],
};

/** The fault kinds an endpoint key supports; undefined for an unknown key. */
export const allowedSpotifyFaultKinds = faultKindsByKey(FAMILY_BY_KEY, FAULTS_BY_FAMILY);
