import { randomBytes } from "node:crypto";

/** The consent page's two buttons (Dropbox's Allow / Deny, Spotify's Agree / Cancel). */
export type Decision = "allow" | "deny";

/** An authorize request waiting on the consent page's buttons. */
export type PendingConsent<G> = G & { requestId: string; state: string | null };

/** Kept server-side so the consent form only carries an unguessable id. */
export class ConsentStore<G extends { scopes: string[] }> {
  private readonly pending = new Map<string, PendingConsent<G>>();

  add(request: G & { state: string | null }): PendingConsent<G> {
    const consent = { ...request, requestId: randomBytes(18).toString("base64url") };
    this.pending.set(consent.requestId, consent);
    return consent;
  }

  /** Removes and returns it: a consent can be decided once. */
  take(requestId: string): PendingConsent<G> | undefined {
    const consent = this.pending.get(requestId);
    this.pending.delete(requestId);
    return consent;
  }

  list(): PendingConsent<G>[] {
    return [...this.pending.values()].map((consent) => ({ ...consent, scopes: [...consent.scopes] }));
  }
}
