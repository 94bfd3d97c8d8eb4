import type { FaultKind } from "../faults.js";
import type { Decision } from "../oauth/consent-store.js";
import { field, OK, type ControlOperation } from "./json-control.js";
import type { OAuthEmulatorControl } from "./oauth-control.js";

/** The control operations both providers have, under their prefix. Void actions answer {"ok":true}. */
export function oauthControlOperations(control: OAuthEmulatorControl<unknown>): ControlOperation[] {
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
      (body) => control.decideConsent(field(body, "requestId", "string"), field<Decision>(body, "decision", "string")),
    ],
    ["PUT", "/browser-account", (body) => (control.setBrowserAccount(field(body, "accountId", "string")), OK)],
    ["PUT", "/auto-approve", (body) => (control.setAutoApprove(field(body, "enabled", "boolean")), OK)],
    ["PUT", "/access-token-ttl", (body) => (control.setAccessTokenTtl(field(body, "seconds", "number")), OK)],
    [
      "POST",
      "/grants/revoke",
      (body) => control.revokeUserGrant(field(body, "accountId", "string"), field(body, "clientId", "string", true)),
    ],
    ["POST", "/reset", () => (control.reset(), OK)],
  ];
}
