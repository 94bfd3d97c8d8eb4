import { randomBytes } from "node:crypto";
import type { CodeGrant } from "./auth-codes.js";

/** An authorize request waiting on the consent page's Allow / Deny. */
export interface PendingConsent extends CodeGrant {
  requestId: string;
  state: string | null;
}

/** Kept server-side so the consent form only carries an unguessable id. */
export class ConsentStore {
  private readonly pending = new Map<string, PendingConsent>();

  add(request: Omit<PendingConsent, "requestId">): PendingConsent {
    const consent = { ...request, requestId: randomBytes(18).toString("base64url") };
    this.pending.set(consent.requestId, consent);
    return consent;
  }

  /** Removes and returns it: a consent can be decided once. */
  take(requestId: string): PendingConsent | undefined {
    const consent = this.pending.get(requestId);
    this.pending.delete(requestId);
    return consent;
  }

  list(): PendingConsent[] {
    return [...this.pending.values()].map((consent) => ({ ...consent, scopes: [...consent.scopes] }));
  }
}
