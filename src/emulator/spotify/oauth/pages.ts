import { escapeHtml, htmlPage } from "../../http/html.js";

export interface SpotifyConsentPageInput {
  appName: string;
  accountName: string;
  scopes: readonly string[];
  requestId: string;
  decisionPath: string;
}

/** Spotify's Agree / Cancel, as two forms so each carries its decision explicitly. */
export function spotifyConsentPage(input: SpotifyConsentPageInput): string {
  const hidden = `<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">`;
  const action = escapeHtml(input.decisionPath);
  const scopes = input.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("");
  return htmlPage(
    `${input.appName} - Spotify (emulated)`,
    `<h1>Connect ${escapeHtml(input.appName)} to your Spotify account</h1>
<p>Logged in as <strong id="account">${escapeHtml(input.accountName)}</strong></p>
<ul id="scopes">${scopes}</ul>
<form method="post" action="${action}">${hidden}<input type="hidden" name="decision" value="allow"><button type="submit">Agree</button></form>
<form method="post" action="${action}">${hidden}<input type="hidden" name="decision" value="deny"><button type="submit">Cancel</button></form>`,
  );
}

/** Like Spotify, an untrusted client or redirect URI is shown to the user, never redirected to. */
export function spotifyErrorPage(message: string): string {
  return htmlPage(
    "Error - Spotify (emulated)",
    `<h1>Oops! Something went wrong</h1>\n<p id="error">${escapeHtml(message)}</p>`,
  );
}
