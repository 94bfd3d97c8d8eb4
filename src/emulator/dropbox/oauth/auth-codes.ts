import type { CodeGrantBase } from "../../oauth/auth-codes.js";

export const CODE_PREFIX = "emu-code-";

export interface CodeGrant extends CodeGrantBase {
  offline: boolean;
  codeChallenge: string;
}
