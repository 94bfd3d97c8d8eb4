import { randomBytes } from "node:crypto";

/** Dropbox codes are short-lived; the brief fixes ten minutes. */
export const CODE_TTL_MS = 10 * 60 * 1000;

export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
  offline: boolean;
  codeChallenge: string;
}

export interface StoredCode extends CodeGrant {
  expiresAt: number;
  /** Set on first redemption: a second one revokes this grant (RFC 6749 §4.1.2). */
  redeemedGrantId: string | null;
}

export class AuthCodeStore {
  private readonly codes = new Map<string, StoredCode>();

  constructor(private readonly clock: () => number) {}

  issue(grant: CodeGrant): string {
    const code = `emu-code-${randomBytes(32).toString("base64url")}`;
    const { clientId, redirectUri, accountId, scopes, offline, codeChallenge } = grant;
    this.codes.set(code, {
      clientId,
      redirectUri,
      accountId,
      scopes: [...scopes],
      offline,
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
