import { randomBytes } from "node:crypto";

/** Spotify does not document a code lifetime; ten minutes, as RFC 6749 §4.1.2 recommends at most. */
const CODE_TTL_MS = 10 * 60 * 1000;

export interface SpotifyCodeGrant {
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
  /** PKCE is optional for confidential clients; null when the request carried no challenge. */
  codeChallenge: string | null;
}

export interface StoredCode extends SpotifyCodeGrant {
  expiresAt: number;
  /** Set on first redemption: a second one revokes this grant (RFC 6749 §4.1.2). */
  redeemedGrantId: string | null;
}

export class SpotifyCodeStore {
  private readonly codes = new Map<string, StoredCode>();

  constructor(private readonly clock: () => number) {}

  issue(grant: SpotifyCodeGrant): string {
    const code = `AQemu-code-${randomBytes(32).toString("base64url")}`;
    const { clientId, redirectUri, accountId, scopes, codeChallenge } = grant;
    this.codes.set(code, {
      clientId,
      redirectUri,
      accountId,
      scopes: [...scopes],
      codeChallenge,
      expiresAt: this.clock() + CODE_TTL_MS,
      redeemedGrantId: null,
    });
    return code;
  }

  get(code: string): StoredCode | undefined {
    return this.codes.get(code);
  }

  isExpired(code: StoredCode): boolean {
    return code.expiresAt <= this.clock();
  }
}
