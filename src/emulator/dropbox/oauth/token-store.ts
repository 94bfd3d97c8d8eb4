import { randomBytes, randomUUID } from "node:crypto";

export type TokenKind = "access" | "refresh";

/** One issued token as the control API reports it (tokens are kept in plaintext: this is a test double). */
export interface IssuedToken {
  kind: TokenKind;
  token: string;
  accountId: string;
  clientId: string;
  scopes: string[];
  /** Every token from one authorization (code exchange plus its refreshes) shares a grant id. */
  grantId: string;
  issuedAt: number;
  /** ms epoch; null for refresh tokens, which Dropbox never expires. */
  expiresAt: number | null;
  revoked: boolean;
}

export type AccessCheck =
  | { status: "valid"; token: IssuedToken }
  | { status: "expired" }
  | { status: "invalid" };

interface Grant {
  id: string;
  clientId: string;
  accountId: string;
  scopes: string[];
}

function opaque(prefix: string): string {
  return `${prefix}${randomBytes(48).toString("base64url")}`;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly clock: () => number) {}

  openGrant(clientId: string, accountId: string, scopes: string[]): string {
    const id = randomUUID();
    this.grants.set(id, { id, clientId, accountId, scopes });
    return id;
  }

  issueAccess(grantId: string, scopes: string[], ttlSeconds: number): IssuedToken {
    const now = this.clock();
    return this.store("access", grantId, scopes, now, now + ttlSeconds * 1000);
  }

  issueRefresh(grantId: string): IssuedToken {
    const grant = this.requireGrant(grantId);
    return this.store("refresh", grantId, grant.scopes, this.clock(), null);
  }

  findRefresh(token: string): IssuedToken | undefined {
    const found = this.tokens.get(token);
    return found?.kind === "refresh" ? found : undefined;
  }

  checkAccess(token: string): AccessCheck {
    const found = this.tokens.get(token);
    if (!found || found.kind !== "access" || found.revoked) return { status: "invalid" };
    if (found.expiresAt !== null && found.expiresAt <= this.clock()) return { status: "expired" };
    return { status: "valid", token: found };
  }

  /** Revokes every token of the grant: the code's tokens, the refresh token and all refreshed access tokens. */
  revokeGrant(grantId: string): void {
    for (const token of this.tokens.values()) {
      if (token.grantId === grantId) token.revoked = true;
    }
  }

  /** What "remove app" in the user's Dropbox settings does. Returns how many grants were live. */
  revokeAccountGrants(accountId: string, clientId?: string): number {
    const live = new Set<string>();
    for (const token of this.tokens.values()) {
      if (token.accountId !== accountId || token.revoked) continue;
      if (clientId !== undefined && token.clientId !== clientId) continue;
      live.add(token.grantId);
    }
    for (const grantId of live) this.revokeGrant(grantId);
    return live.size;
  }

  expireAccessTokens(): void {
    const now = this.clock();
    for (const token of this.tokens.values()) {
      if (token.kind === "access" && (token.expiresAt === null || token.expiresAt > now)) token.expiresAt = now;
    }
  }

  /** Scopes the account already granted the client on live grants (for include_granted_scopes=user). */
  grantedScopes(clientId: string, accountId: string): string[] {
    const scopes = new Set<string>();
    for (const token of this.tokens.values()) {
      if (token.revoked || token.clientId !== clientId || token.accountId !== accountId) continue;
      for (const scope of this.requireGrant(token.grantId).scopes) scopes.add(scope);
    }
    return [...scopes];
  }

  list(): IssuedToken[] {
    return [...this.tokens.values()].map((token) => ({ ...token, scopes: [...token.scopes] }));
  }

  private store(
    kind: TokenKind,
    grantId: string,
    scopes: string[],
    issuedAt: number,
    expiresAt: number | null,
  ): IssuedToken {
    const grant = this.requireGrant(grantId);
    const token: IssuedToken = {
      kind,
      token: opaque(kind === "access" ? "sl.emu-" : "emu-rt-"),
      accountId: grant.accountId,
      clientId: grant.clientId,
      scopes: [...scopes],
      grantId,
      issuedAt,
      expiresAt,
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
