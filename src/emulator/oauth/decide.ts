import type { AuthCodeStore, CodeGrantBase } from "./auth-codes.js";
import type { Decision } from "./consent-store.js";

/**
 * Where the browser goes after the user's decision: back to the app with a code, or with
 * error=access_denied (and `deniedDescription`, for a provider that words it).
 */
export function decisionRedirect<G extends CodeGrantBase>(
  codes: AuthCodeStore<G>,
  grant: G,
  oauthState: string | null,
  decision: Decision,
  deniedDescription?: string,
): string {
  const location = new URL(grant.redirectUri);
  if (decision === "allow") {
    location.searchParams.set("code", codes.issue(grant));
  } else {
    location.searchParams.set("error", "access_denied");
    if (deniedDescription) location.searchParams.set("error_description", deniedDescription);
  }
  if (oauthState !== null) location.searchParams.set("state", oauthState);
  return location.toString();
}
