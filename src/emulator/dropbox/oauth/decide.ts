import type { Decision } from "../../oauth/consent-store.js";
import type { DropboxState } from "../state.js";
import type { CodeGrant } from "./auth-codes.js";

/** Where the browser goes after the user's decision: back to the app with a code or an error. */
export function decisionRedirect(
  state: DropboxState,
  grant: CodeGrant,
  oauthState: string | null,
  decision: Decision,
): string {
  const location = new URL(grant.redirectUri);
  if (decision === "allow") {
    location.searchParams.set("code", state.codes.issue(grant));
  } else {
    location.searchParams.set("error", "access_denied");
    location.searchParams.set(
      "error_description",
      "The user chose not to give your app access to their Dropbox account.",
    );
  }
  if (oauthState !== null) location.searchParams.set("state", oauthState);
  return location.toString();
}
