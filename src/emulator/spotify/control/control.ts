import { ControlError } from "../../control/control-error.js";
import { pendingFault, positiveInteger } from "../../control/fault-spec.js";
import type { FaultSpec, PendingFault } from "../../faults.js";
import type { IssuedToken } from "../../oauth/token-store.js";
import type { SpotifyEmulator } from "../emulator.js";
import { allowedSpotifyFaultKinds } from "../endpoints.js";
import { spotifyDecisionRedirect, type SpotifyDecision } from "../oauth/decide.js";

export interface SpotifyPendingConsentInfo {
  requestId: string;
  clientId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  /** Whether the authorize request carried a PKCE challenge. */
  pkce: boolean;
  state: string | null;
}

/** Test-side control of the emulated Spotify; the HTTP control API maps onto these methods. */
export interface SpotifyEmulatorControl {
  injectFault(spec: FaultSpec): void;
  listFaults(): PendingFault[];
  clearFaults(): void;
  /** Requests per endpoint key, token requests also per grant type (token:refresh_token). */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  listTokens(): IssuedToken[];
  listPendingConsents(): SpotifyPendingConsentInfo[];
  /** Presses Agree ("allow") or Cancel ("deny") on a consent page; returns where the browser is sent. */
  decideConsent(requestId: string, decision: SpotifyDecision): { location: string };
  setBrowserAccount(accountId: string): void;
  setAutoApprove(enabled: boolean): void;
  setRotateRefreshTokens(enabled: boolean): void;
  /** For tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** The user removes the app on their Spotify account page: every token of its grants dies. */
  revokeUserGrant(accountId: string, clientId?: string): { revokedGrants: number };
  /** Access and app tokens; refresh tokens keep their lifetime. */
  expireAccessTokens(): void;
  /** Back to the configured initial state: tokens, codes, consents, faults, counts and settings. */
  reset(): void;
}

function booleanArg(value: boolean, what: string): boolean {
  if (typeof value !== "boolean") throw new ControlError(`${what} must be a boolean`);
  return value;
}

export class SpotifyControl implements SpotifyEmulatorControl {
  constructor(private readonly emu: SpotifyEmulator) {}

  injectFault(spec: FaultSpec): void {
    this.emu.state.faults.add(pendingFault(spec, allowedSpotifyFaultKinds(spec.endpoint)));
  }

  listFaults(): PendingFault[] {
    return this.emu.state.faults.list();
  }

  clearFaults(): void {
    this.emu.state.faults.clear();
  }

  callCounts(): Record<string, number> {
    return this.emu.state.calls.snapshot();
  }

  resetCallCounts(): void {
    this.emu.state.calls.reset();
  }

  listTokens(): IssuedToken[] {
    return this.emu.state.tokens.list();
  }

  listPendingConsents(): SpotifyPendingConsentInfo[] {
    return this.emu.state.consents.list().map((consent) => ({
      requestId: consent.requestId,
      clientId: consent.clientId,
      accountId: consent.accountId,
      redirectUri: consent.redirectUri,
      scopes: consent.scopes,
      pkce: consent.codeChallenge !== null,
      state: consent.state,
    }));
  }

  decideConsent(requestId: string, decision: SpotifyDecision): { location: string } {
    if (decision !== "allow" && decision !== "deny") throw new ControlError('decision must be "allow" or "deny"');
    const consent = this.emu.state.consents.take(requestId);
    if (!consent) throw new ControlError(`no pending consent "${requestId}"`);
    return { location: spotifyDecisionRedirect(this.emu.state, consent, consent.state, decision) };
  }

  setBrowserAccount(accountId: string): void {
    this.emu.state.settings.browserAccountId = this.requireAccount(accountId);
  }

  setAutoApprove(enabled: boolean): void {
    this.emu.state.settings.autoApprove = booleanArg(enabled, "enabled");
  }

  setRotateRefreshTokens(enabled: boolean): void {
    this.emu.state.settings.rotateRefreshTokens = booleanArg(enabled, "enabled");
  }

  setAccessTokenTtl(seconds: number): void {
    this.emu.state.settings.accessTokenTtlSeconds = positiveInteger(seconds, "seconds");
  }

  revokeUserGrant(accountId: string, clientId?: string): { revokedGrants: number } {
    return { revokedGrants: this.emu.state.tokens.revokeAccountGrants(this.requireAccount(accountId), clientId) };
  }

  expireAccessTokens(): void {
    this.emu.state.tokens.expireAccessTokens();
  }

  reset(): void {
    this.emu.reset();
  }

  private requireAccount(accountId: string): string {
    if (!this.emu.account(accountId)) throw new ControlError(`unknown Spotify account "${accountId}"`);
    return accountId;
  }
}
