import { randomBytes } from "node:crypto";

/** Dropbox's brief fixes ten minutes; Spotify documents none, and RFC 6749 §4.1.2 recommends at most ten. */
const CODE_TTL_MS = 10 * 60 * 1000;

/** What every code is bound to; each provider adds its own (PKCE challenge, offline access). */
export interface CodeGrantBase {
  clientId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
}

type StoredCode<G extends CodeGrantBase> = G & {
  expiresAt: number;
  /** Set on first redemption: a second one revokes this grant (RFC 6749 §4.1.2). */
  redeemedGrantId: string | null;
};

export class AuthCodeStore<G extends CodeGrantBase> {
  private readonly codes = new Map<string, StoredCode<G>>();

  /** `prefix` makes the codes look like the provider's. */
  constructor(
    private readonly prefix: string,
    private readonly clock: () => number,
  ) {}

  issue(grant: G): string {
    const code = `${this.prefix}${randomBytes(32).toString("base64url")}`;
    this.codes.set(code, {
      ...grant,
      scopes: [...grant.scopes],
      expiresAt: this.clock() + CODE_TTL_MS,
      redeemedGrantId: null,
    });
    return code;
  }

  get(code: string): StoredCode<G> | undefined {
    return this.codes.get(code);
  }

  isExpired(code: StoredCode<G>): boolean {
    return code.expiresAt <= this.clock();
  }
}
