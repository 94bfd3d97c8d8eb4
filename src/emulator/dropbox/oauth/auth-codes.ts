import type { CodeGrantBase } from "../../oauth/auth-codes.js";

export interface CodeGrant extends CodeGrantBase {
  offline: boolean;
  codeChallenge: string;
}
