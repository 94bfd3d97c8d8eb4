import { escapeHtml, htmlPage as page } from "../../http/html.js";

export interface ConsentPageInput {
  appName: string;
  accountName: string;
  accountEmail: string;
  scopes: readonly string[];
  requestId: string;
  decisionPath: string;
}

/** Two forms rather than one with two buttons: each carries its decision explicitly. */
export function consentPage(input: ConsentPageInput): string {
  const hidden = `<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">`;
  const scopes = input.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join("");
  return page(
    `${input.appName} - Dropbox (emulated)`,
    `<h1>${escapeHtml(input.appName)} wants to access your Dropbox</h1>
<p>Signed in as <strong id="account">${escapeHtml(input.accountName)}</strong> (${escapeHtml(input.accountEmail)})</p>
<ul id="scopes">${scopes}</ul>
<form method="post" action="${escapeHtml(input.decisionPath)}">${hidden}<input type="hidden" name="decision" value="allow"><button type="submit">Allow</button></form>
<form method="post" action="${escapeHtml(input.decisionPath)}">${hidden}<input type="hidden" name="decision" value="deny"><button type="submit">Deny</button></form>`,
  );
}

/** Like Dropbox, a bad client or redirect URI is shown to the user instead of being redirected. */
export function errorPage(message: string): string {
  return page("Dropbox - Error (emulated)", `<h1>Error (400)</h1>\n<p id="error">${escapeHtml(message)}</p>`);
}
