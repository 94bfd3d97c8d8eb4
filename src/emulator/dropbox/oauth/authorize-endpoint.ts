import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect, sendHtml } from "../../http/respond.js";
import { countAndTakeFault } from "../../faults.js";
import type { RouteHandler } from "../../http/router.js";
import { readDecisionForm } from "../../oauth/decision-form.js";
import type { DropboxEmulator } from "../emulator.js";
import { respondWithFault } from "../fault-responses.js";
import { parseAuthorizeRequest } from "./authorize-request.js";
import { decisionRedirect } from "../../oauth/decide.js";
import { consentPage, errorPage } from "./pages.js";

export const AUTHORIZE_PATH = "/oauth2/authorize";
export const DECISION_PATH = "/oauth2/authorize/decision";
/** Dropbox's words when the user denies access. */
export const DENIED_DESCRIPTION = "The user chose not to give your app access to their Dropbox account.";

/** GET /oauth2/authorize: the consent page, or straight back to the app in auto-approve mode. */
export function authorizeHandler(emu: DropboxEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const state = emu.state;
    const fault = countAndTakeFault(state, "authorize");
    if (fault) return respondWithFault(fault, "authorize", req, res);

    const request = parseAuthorizeRequest(emu.config.clients, state, url.searchParams);
    if (!request.ok) return sendHtml(res, 400, errorPage(request.message));

    if (state.settings.autoApprove) {
      return redirect(res, decisionRedirect(state.codes, request.grant, request.state, "allow"));
    }
    const consent = state.consents.add({ ...request.grant, state: request.state });
    const account = emu.account(consent.accountId);
    sendHtml(
      res,
      200,
      consentPage({
        appName: request.client.name ?? request.client.clientId,
        accountName: account?.displayName ?? consent.accountId,
        accountEmail: account?.email ?? "",
        scopes: consent.scopes,
        requestId: consent.requestId,
        decisionPath: DECISION_PATH,
      }),
    );
  };
}

/** POST /oauth2/authorize/decision: the consent page's Allow / Deny forms. */
export function decisionHandler(emu: DropboxEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const { decision, requestId } = await readDecisionForm(req);
    const consent = decision === null ? undefined : emu.state.consents.take(requestId);
    if (!consent || decision === null) {
      return sendHtml(res, 400, errorPage("This authorization request is unknown, already decided, or malformed."));
    }
    redirect(res, decisionRedirect(emu.state.codes, consent, consent.state, decision, DENIED_DESCRIPTION));
  };
}
