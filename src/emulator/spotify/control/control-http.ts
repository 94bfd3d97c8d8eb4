import { field, mountControl, OK, type ControlOperation } from "../../control/json-control.js";
import type { FaultKind } from "../../faults.js";
import type { Router } from "../../http/router.js";
import type { SpotifyDecision } from "../oauth/decide.js";
import type { SpotifyEmulatorControl } from "./control.js";

export const SPOTIFY_CONTROL_PREFIX = "/__emulator/spotify";

/** Every control operation under SPOTIFY_CONTROL_PREFIX. Void actions answer {"ok":true}. */
function operations(control: SpotifyEmulatorControl): ControlOperation[] {
  return [
    ["GET", "/faults", () => control.listFaults()],
    [
      "POST",
      "/faults",
      (body) => {
        control.injectFault({
          endpoint: field(body, "endpoint", "string"),
          kind: field<FaultKind>(body, "kind", "string"),
          times: field(body, "times", "number", true),
          retryAfterSeconds: field(body, "retryAfterSeconds", "number", true),
        });
        return OK;
      },
    ],
    ["DELETE", "/faults", () => (control.clearFaults(), OK)],
    ["GET", "/calls", () => control.callCounts()],
    ["DELETE", "/calls", () => (control.resetCallCounts(), OK)],
    ["GET", "/tokens", () => control.listTokens()],
    ["POST", "/tokens/expire", () => (control.expireAccessTokens(), OK)],
    ["GET", "/consents", () => control.listPendingConsents()],
    [
      "POST",
      "/consents/decide",
      (body) =>
        control.decideConsent(field(body, "requestId", "string"), field<SpotifyDecision>(body, "decision", "string")),
    ],
    ["PUT", "/browser-account", (body) => (control.setBrowserAccount(field(body, "accountId", "string")), OK)],
    ["PUT", "/auto-approve", (body) => (control.setAutoApprove(field(body, "enabled", "boolean")), OK)],
    [
      "PUT",
      "/rotate-refresh-tokens",
      (body) => (control.setRotateRefreshTokens(field(body, "enabled", "boolean")), OK),
    ],
    ["PUT", "/access-token-ttl", (body) => (control.setAccessTokenTtl(field(body, "seconds", "number")), OK)],
    [
      "POST",
      "/grants/revoke",
      (body) => control.revokeUserGrant(field(body, "accountId", "string"), field(body, "clientId", "string", true)),
    ],
    ["POST", "/reset", () => (control.reset(), OK)],
  ];
}

/** Mounts the JSON control API under /__emulator/spotify. */
export function addSpotifyControlRoutes(router: Router, control: SpotifyEmulatorControl): void {
  mountControl(router, SPOTIFY_CONTROL_PREFIX, operations(control));
}
