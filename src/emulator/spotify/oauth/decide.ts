import type { Decision } from "../../oauth/consent-store.js";
import type { SpotifyState } from "../state.js";
import type { SpotifyCodeGrant } from "./auth-codes.js";

/** Where the browser goes after the user's decision: back to the app with a code or access_denied. */
export function spotifyDecisionRedirect(
  state: SpotifyState,
  grant: SpotifyCodeGrant,
  oauthState: string | null,
  decision: Decision,
): string {
  const location = new URL(grant.redirectUri);
  if (decision === "allow") location.searchParams.set("code", state.codes.issue(grant));
  else location.searchParams.set("error", "access_denied");
  if (oauthState !== null) location.searchParams.set("state", oauthState);
  return location.toString();
}
