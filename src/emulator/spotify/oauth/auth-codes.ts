import type { CodeGrantBase } from "../../oauth/auth-codes.js";

/** Spotify's codes start "AQ", like its refresh tokens. */
export const SPOTIFY_CODE_PREFIX = "AQemu-code-";

export interface SpotifyCodeGrant extends CodeGrantBase {
  /** PKCE is optional for confidential clients; null when the request carried no challenge. */
  codeChallenge: string | null;
}
