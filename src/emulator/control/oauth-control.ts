import type { CallCounter } from "../call-counter.js";
import type { FaultInjector, FaultKind, FaultSpec, PendingFault } from "../faults.js";
import type { AuthCodeStore, CodeGrantBase } from "../oauth/auth-codes.js";
import { decisionRedirect } from "../oauth/decide.js";
import type { ConsentStore, Decision, PendingConsent } from "../oauth/consent-store.js";
import type { IssuedToken, TokenStore } from "../oauth/token-store.js";
import { ControlError } from "./control-error.js";
import { pendingFault, positiveInteger } from "./fault-spec.js";

/** A pending consent as the control API lists it; `Extra` is what the provider adds before `state`. */
export type ConsentInfo<Extra> = {
  requestId: string;
  clientId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
} & Extra & { state: string | null };

/** Test-side control both emulated providers offer; the HTTP control API maps onto these methods. */
export interface OAuthEmulatorControl<ConsentExtra> {
  injectFault(spec: FaultSpec): void;
  listFaults(): PendingFault[];
  clearFaults(): void;
  /** Requests per endpoint key, token requests also per grant type (token:refresh_token). */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  listTokens(): IssuedToken[];
  listPendingConsents(): ConsentInfo<ConsentExtra>[];
  /** Decides a consent page as the user would; returns where the browser is sent. */
  decideConsent(requestId: string, decision: Decision): { location: string };
  setBrowserAccount(accountId: string): void;
  setAutoApprove(enabled: boolean): void;
  /** For tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** The user removes the app in their account settings: every token of its grants dies. */
  revokeUserGrant(accountId: string, clientId?: string): { revokedGrants: number };
  /** Access and app tokens; refresh tokens keep their lifetime. */
  expireAccessTokens(): void;
  /** Back to the configured initial state: everything the provider holds, faults, counts and settings. */
  reset(): void;
}

/** The parts of a provider's state the shared operations touch. */
interface OAuthState<G extends CodeGrantBase> {
  tokens: TokenStore;
  consents: ConsentStore<G>;
  codes: AuthCodeStore<G>;
  faults: FaultInjector;
  calls: CallCounter;
  settings: { browserAccountId: string; autoApprove: boolean; accessTokenTtlSeconds: number };
}

interface OAuthControlSpec<G extends CodeGrantBase, ConsentExtra> {
  /** `state` is read per call: a reset replaces it. */
  emu: { state: OAuthState<G>; reset(): void };
  allowedFaultKinds: (key: string) => readonly FaultKind[] | undefined;
  requireAccount: (accountId: string) => string;
  consentExtra: (consent: PendingConsent<G>) => ConsentExtra;
  /** The provider's error_description when the user denies access, if it sends one. */
  deniedDescription?: string;
}

export function booleanArg(value: boolean, what: string): boolean {
  if (typeof value !== "boolean") throw new ControlError(`${what} must be a boolean`);
  return value;
}

/** A provider's account check; `noun` words its error ("unknown account", "unknown Spotify account"). */
export function accountRequirement(find: (accountId: string) => unknown, noun: string): (accountId: string) => string {
  return (accountId) => {
    if (!find(accountId)) throw new ControlError(`unknown ${noun} "${accountId}"`);
    return accountId;
  };
}

export function oauthControl<G extends CodeGrantBase, ConsentExtra>(
  spec: OAuthControlSpec<G, ConsentExtra>,
): OAuthEmulatorControl<ConsentExtra> {
  const { emu } = spec;
  return {
    injectFault: (fault) => emu.state.faults.add(pendingFault(fault, spec.allowedFaultKinds(fault.endpoint))),
    listFaults: () => emu.state.faults.list(),
    clearFaults: () => emu.state.faults.clear(),
    callCounts: () => emu.state.calls.snapshot(),
    resetCallCounts: () => emu.state.calls.reset(),
    listTokens: () => emu.state.tokens.list(),
    listPendingConsents: () =>
      emu.state.consents.list().map((consent) => ({
        requestId: consent.requestId,
        clientId: consent.clientId,
        accountId: consent.accountId,
        redirectUri: consent.redirectUri,
        scopes: consent.scopes,
        ...spec.consentExtra(consent),
        state: consent.state,
      })),
    decideConsent: (requestId, decision) => {
      if (decision !== "allow" && decision !== "deny") throw new ControlError('decision must be "allow" or "deny"');
      const consent = emu.state.consents.take(requestId);
      if (!consent) throw new ControlError(`no pending consent "${requestId}"`);
      return { location: decisionRedirect(emu.state.codes, consent, consent.state, decision, spec.deniedDescription) };
    },
    setBrowserAccount: (accountId) => {
      emu.state.settings.browserAccountId = spec.requireAccount(accountId);
    },
    setAutoApprove: (enabled) => {
      emu.state.settings.autoApprove = booleanArg(enabled, "enabled");
    },
    setAccessTokenTtl: (seconds) => {
      emu.state.settings.accessTokenTtlSeconds = positiveInteger(seconds, "seconds");
    },
    revokeUserGrant: (accountId, clientId) => ({
      revokedGrants: emu.state.tokens.revokeAccountGrants(spec.requireAccount(accountId), clientId),
    }),
    expireAccessTokens: () => emu.state.tokens.expireAccessTokens(),
    reset: () => emu.reset(),
  };
}
