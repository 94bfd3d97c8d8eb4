import { fullAccountJson } from "../accounts.js";
import type { RpcEndpoint } from "./dispatch.js";

/** Allocation reported when the account has no quota configured (2 TiB, a Dropbox Plus plan). */
const UNLIMITED_ALLOCATION = 2 * 1024 ** 4;

export const accountEndpoints: RpcEndpoint[] = [
  {
    style: "rpc",
    path: "/2/users/get_current_account",
    route: "users/get_current_account",
    key: "get_current_account",
    scope: "account_info.read",
    takesArg: false,
    handle: (ctx) => fullAccountJson(ctx.account),
  },
  {
    style: "rpc",
    path: "/2/users/get_space_usage",
    route: "users/get_space_usage",
    key: "get_space_usage",
    scope: "account_info.read",
    takesArg: false,
    handle: (ctx) => ({
      used: ctx.state.drive(ctx.account.accountId).usedBytes(),
      allocation: {
        ".tag": "individual",
        allocated: ctx.state.quotaBytes(ctx.account.accountId) ?? UNLIMITED_ALLOCATION,
      },
    }),
  },
  {
    style: "rpc",
    path: "/2/auth/token/revoke",
    route: "auth/token/revoke",
    key: "revoke",
    scope: null,
    takesArg: false,
    handle: (ctx) => {
      // Dropbox: revoking an access token also revokes its refresh token and every
      // access token minted from it, i.e. the whole grant.
      ctx.state.tokens.revokeGrant(ctx.token.grantId);
      return null;
    },
  },
];
