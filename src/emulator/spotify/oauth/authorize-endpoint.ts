import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect, sendHtml } from "../../http/respond.js";
import { countAndTakeFault } from "../../faults.js";
import type { RouteHandler } from "../../http/router.js";
import { readDecisionForm } from "../../oauth/decision-form.js";
import type { SpotifyEmulator } from "../emulator.js";
import { respondWithSpotifyFault } from "../fault-responses.js";
import { parseSpotifyAuthorize } from "./authorize-request.js";
import { decisionRedirect } from "../../oauth/decide.js";
import { spotifyConsentPage, spotifyErrorPage } from "./pages.js";

export const SPOTIFY_AUTHORIZE_PATH = "/authorize";
export const SPOTIFY_DECISION_PATH = "/authorize/decision";

/**
 * GET /authorize: the consent page, or straight back to the app in auto-approve mode or
 * when the user already approved these scopes and show_dialog is not "true" (Spotify's default).
 */
export function spotifyAuthorizeHandler(emu: SpotifyEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const state = emu.state;
    const fault = countAndTakeFault(state, "authorize");
    if (fault) return respondWithSpotifyFault(fault, "authorize", req, res);

    const request = parseSpotifyAuthorize(emu.config.clients, state, url.searchParams);
    if (request.kind === "page") return sendHtml(res, 400, spotifyErrorPage(request.message));
    if (request.kind === "redirect") return redirect(res, request.location);

    const { grant } = request;
    const remembered = !request.showDialog && state.tokens.approved(grant.clientId, grant.accountId, grant.scopes);
    if (state.settings.autoApprove || remembered) {
      return redirect(res, decisionRedirect(state.codes, grant, request.state, "allow"));
    }
    const consent = state.consents.add({ ...grant, state: request.state });
    sendHtml(
      res,
      200,
      spotifyConsentPage({
        appName: request.client.name ?? request.client.clientId,
        accountName: emu.account(grant.accountId)?.displayName ?? grant.accountId,
        scopes: grant.scopes,
        requestId: consent.requestId,
        decisionPath: SPOTIFY_DECISION_PATH,
      }),
    );
  };
}

/** POST /authorize/decision: the consent page's Agree / Cancel forms. */
export function spotifyDecisionHandler(emu: SpotifyEmulator): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const { decision, requestId } = await readDecisionForm(req);
    if (decision === null) return sendHtml(res, 400, spotifyErrorPage("This authorization request is malformed."));
    const consent = emu.state.consents.take(requestId);
    if (!consent)
      return sendHtml(res, 400, spotifyErrorPage("This authorization request is unknown or already decided."));
    redirect(res, decisionRedirect(emu.state.codes, consent, consent.state, decision));
  };
}
