import { randomBytes, randomUUID } from "node:crypto";

/** access and refresh belong to a user grant; app tokens come from client credentials and have no user. */
export type SpotifyTokenKind = "access" | "refresh" | "app";

/** One issued token as the control API reports it (kept in plaintext: this is a test double). */
export interface SpotifyIssuedToken {
  kind: SpotifyTokenKind;
  token: string;
  /** null for app tokens. */
  accountId: string | null;
  clientId: string;
  scopes: string[];
  /** Every token from one authorization (code exchange plus its refreshes) shares a grant id; null for app tokens. */
  grantId: string | null;
  issuedAt: number;
  /** ms epoch; for refresh tokens the end of their lifetime. */
  expiresAt: number;
  revoked: boolean;
}

export type SpotifyAccessCheck =
  { status: "valid"; token: SpotifyIssuedToken } | { status: "expired" } | { status: "invalid" };

interface Grant {
  clientId: string;
  accountId: string;
  scopes: string[];
  revoked: boolean;
}

/** Spotify tokens are opaque; access tokens start "BQ", refresh tokens "AQ". */
function opaque(kind: SpotifyTokenKind): string {
  return `${kind === "refresh" ? "AQ" : "BQ"}emu-${randomBytes(48).toString("base64url")}`;
}

export class SpotifyTokenStore {
  private readonly tokens = new Map<string, SpotifyIssuedToken>();
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly clock: () => number) {}

  openGrant(clientId: string, accountId: string, scopes: string[]): string {
    const id = randomUUID();
    this.grants.set(id, { clientId, accountId, scopes: [...scopes], revoked: false });
    return id;
  }

  issueAccess(grantId: string, ttlSeconds: number): SpotifyIssuedToken {
    return this.storeForGrant("access", grantId, ttlSeconds);
  }

  issueRefresh(grantId: string, lifetimeSeconds: number): SpotifyIssuedToken {
    return this.storeForGrant("refresh", grantId, lifetimeSeconds);
  }

  issueApp(clientId: string, ttlSeconds: number): SpotifyIssuedToken {
    return this.store({ kind: "app", accountId: null, clientId, scopes: [], grantId: null }, ttlSeconds);
  }

  findRefresh(token: string): SpotifyIssuedToken | undefined {
    const found = this.tokens.get(token);
    return found?.kind === "refresh" ? found : undefined;
  }

  isExpired(token: SpotifyIssuedToken): boolean {
    return token.expiresAt <= this.clock();
  }

  /** A user (access) or app token presented as a Bearer token. */
  checkAccess(token: string): SpotifyAccessCheck {
    const found = this.tokens.get(token);
    if (!found || found.kind === "refresh" || found.revoked) return { status: "invalid" };
    if (this.isExpired(found)) return { status: "expired" };
    return { status: "valid", token: found };
  }

  /** One token only, e.g. a refresh token replaced by rotation. */
  revokeToken(token: string): void {
    const found = this.tokens.get(token);
    if (found) found.revoked = true;
  }

  /** Every token of the grant dies, and the app no longer counts as approved by the user. */
  revokeGrant(grantId: string): void {
    this.requireGrant(grantId).revoked = true;
    for (const token of this.tokens.values()) {
      if (token.grantId === grantId) token.revoked = true;
    }
  }

  /** What removing the app on the user's Spotify account page does. Returns how many grants were live. */
  revokeAccountGrants(accountId: string, clientId?: string): number {
    let revoked = 0;
    for (const [id, grant] of this.grants) {
      if (grant.revoked || grant.accountId !== accountId) continue;
      if (clientId !== undefined && grant.clientId !== clientId) continue;
      this.revokeGrant(id);
      revoked += 1;
    }
    return revoked;
  }

  /** Whether the user already approved these scopes for the client (so show_dialog=false skips the page). */
  approved(clientId: string, accountId: string, scopes: readonly string[]): boolean {
    return [...this.grants.values()].some(
      (grant) =>
        !grant.revoked &&
        grant.clientId === clientId &&
        grant.accountId === accountId &&
        scopes.every((scope) => grant.scopes.includes(scope)),
    );
  }

  expireAccessTokens(): void {
    const now = this.clock();
    for (const token of this.tokens.values()) {
      if (token.kind !== "refresh" && token.expiresAt > now) token.expiresAt = now;
    }
  }

  list(): SpotifyIssuedToken[] {
    return [...this.tokens.values()].map((token) => ({ ...token, scopes: [...token.scopes] }));
  }

  private storeForGrant(kind: "access" | "refresh", grantId: string, lifetimeSeconds: number): SpotifyIssuedToken {
    const grant = this.requireGrant(grantId);
    return this.store(
      { kind, accountId: grant.accountId, clientId: grant.clientId, scopes: grant.scopes, grantId },
      lifetimeSeconds,
    );
  }

  private store(
    fields: Pick<SpotifyIssuedToken, "kind" | "accountId" | "clientId" | "scopes" | "grantId">,
    lifetimeSeconds: number,
  ): SpotifyIssuedToken {
    const issuedAt = this.clock();
    const token: SpotifyIssuedToken = {
      ...fields,
      scopes: [...fields.scopes],
      token: opaque(fields.kind),
      issuedAt,
      expiresAt: issuedAt + lifetimeSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  private requireGrant(grantId: string): Grant {
    const grant = this.grants.get(grantId);
    if (!grant) throw new Error(`unknown grant ${grantId}`);
    return grant;
  }
}
