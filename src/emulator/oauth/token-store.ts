import { randomBytes, randomUUID } from "node:crypto";

/** access and refresh belong to a user's grant; app tokens (Spotify's client credentials) have no user. */
export type TokenKind = "access" | "refresh" | "app";

interface TokenFields {
  token: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  /** ms epoch; null for refresh tokens that never expire (Dropbox's). */
  expiresAt: number | null;
  revoked: boolean;
}

/** Every token from one authorization (code exchange plus its refreshes) shares a grant id. */
export interface GrantToken extends TokenFields {
  kind: "access" | "refresh";
  accountId: string;
  grantId: string;
}

interface AppToken extends TokenFields {
  kind: "app";
  accountId: null;
  grantId: null;
}

/** One issued token as the control API reports it (kept in plaintext: this is a test double). */
export type IssuedToken = GrantToken | AppToken;

type AccessCheck<T extends IssuedToken> =
  { status: "valid"; token: T } | { status: "expired" } | { status: "invalid" };

interface Grant {
  clientId: string;
  accountId: string;
  scopes: string[];
  revoked: boolean;
}

/** How a provider's opaque tokens start; app tokens look like access tokens. */
interface TokenPrefixes {
  access: string;
  refresh: string;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly grants = new Map<string, Grant>();

  constructor(
    private readonly prefixes: TokenPrefixes,
    private readonly clock: () => number,
  ) {}

  openGrant(clientId: string, accountId: string, scopes: string[]): string {
    const id = randomUUID();
    this.grants.set(id, { clientId, accountId, scopes: [...scopes], revoked: false });
    return id;
  }

  /** `scopes`, when given, narrows the grant's (a Dropbox refresh may ask for fewer). */
  issueAccess(grantId: string, ttlSeconds: number, scopes?: string[]): GrantToken {
    return this.storeForGrant("access", grantId, ttlSeconds, scopes);
  }

  /** A null lifetime never ends. */
  issueRefresh(grantId: string, lifetimeSeconds: number | null): GrantToken {
    return this.storeForGrant("refresh", grantId, lifetimeSeconds);
  }

  issueApp(clientId: string, ttlSeconds: number): AppToken {
    const issuedAt = this.clock();
    return this.keep({
      kind: "app",
      token: this.mint("app"),
      accountId: null,
      clientId,
      scopes: [],
      grantId: null,
      issuedAt,
      expiresAt: issuedAt + ttlSeconds * 1000,
      revoked: false,
    });
  }

  findRefresh(token: string): GrantToken | undefined {
    const found = this.tokens.get(token);
    return found?.kind === "refresh" ? found : undefined;
  }

  isExpired(token: IssuedToken): boolean {
    return token.expiresAt !== null && token.expiresAt <= this.clock();
  }

  /** A user (access) or app token presented as a Bearer token. */
  checkAccess(token: string): AccessCheck<IssuedToken> {
    const found = this.tokens.get(token);
    return this.check(found?.kind === "refresh" ? undefined : found);
  }

  /** A Bearer token where only a user's access token will do. */
  checkUserAccess(token: string): AccessCheck<GrantToken> {
    const found = this.tokens.get(token);
    return this.check(found?.kind === "access" ? found : undefined);
  }

  /** One token only, e.g. a refresh token replaced by rotation. */
  revokeToken(token: string): void {
    const found = this.tokens.get(token);
    if (found) found.revoked = true;
  }

  /** Every token of the grant dies (the code's, the refresh token, all refreshed ones), and so does the approval. */
  revokeGrant(grantId: string): void {
    this.requireGrant(grantId).revoked = true;
    for (const token of this.tokens.values()) {
      if (token.grantId === grantId) token.revoked = true;
    }
  }

  /** What removing the app in the user's account settings does. Returns how many grants were live. */
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

  /** Scopes the account already granted the client on live grants (Dropbox's include_granted_scopes=user). */
  grantedScopes(clientId: string, accountId: string): string[] {
    return [...new Set(this.liveGrants(clientId, accountId).flatMap((grant) => grant.scopes))];
  }

  /** Whether one live grant already approves these scopes for the client (Spotify skips the page then). */
  approved(clientId: string, accountId: string, scopes: readonly string[]): boolean {
    return this.liveGrants(clientId, accountId).some((grant) => scopes.every((scope) => grant.scopes.includes(scope)));
  }

  /** Access and app tokens; refresh tokens keep their lifetime. */
  expireAccessTokens(): void {
    const now = this.clock();
    for (const token of this.tokens.values()) {
      if (token.kind !== "refresh" && (token.expiresAt === null || token.expiresAt > now)) token.expiresAt = now;
    }
  }

  list(): IssuedToken[] {
    return [...this.tokens.values()].map((token) => ({ ...token, scopes: [...token.scopes] }));
  }

  private storeForGrant(
    kind: "access" | "refresh",
    grantId: string,
    lifetimeSeconds: number | null,
    scopes?: string[],
  ): GrantToken {
    const grant = this.requireGrant(grantId);
    const issuedAt = this.clock();
    return this.keep({
      kind,
      token: this.mint(kind),
      accountId: grant.accountId,
      clientId: grant.clientId,
      scopes: [...(scopes ?? grant.scopes)],
      grantId,
      issuedAt,
      expiresAt: lifetimeSeconds === null ? null : issuedAt + lifetimeSeconds * 1000,
      revoked: false,
    });
  }

  private mint(kind: TokenKind): string {
    const prefix = kind === "refresh" ? this.prefixes.refresh : this.prefixes.access;
    return `${prefix}${randomBytes(48).toString("base64url")}`;
  }

  private keep<T extends IssuedToken>(token: T): T {
    this.tokens.set(token.token, token);
    return token;
  }

  private check<T extends IssuedToken>(found: T | undefined): AccessCheck<T> {
    if (!found || found.revoked) return { status: "invalid" };
    if (this.isExpired(found)) return { status: "expired" };
    return { status: "valid", token: found };
  }

  private liveGrants(clientId: string, accountId: string): Grant[] {
    return [...this.grants.values()].filter(
      (grant) => !grant.revoked && grant.clientId === clientId && grant.accountId === accountId,
    );
  }

  private requireGrant(grantId: string): Grant {
    const grant = this.grants.get(grantId);
    if (!grant) throw new Error(`unknown grant ${grantId}`);
    return grant;
  }
}
