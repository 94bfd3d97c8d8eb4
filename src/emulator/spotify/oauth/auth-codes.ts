import type { CodeGrantBase } from "../../oauth/auth-codes.js";

export interface SpotifyCodeGrant extends CodeGrantBase {
  /** PKCE is optional for confidential clients; null when the request carried no challenge. */
  codeChallenge: string | null;
}
