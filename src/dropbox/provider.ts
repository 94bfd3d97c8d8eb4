import type { Config } from "../config.js";
import { createOAuthConfiguration, type Fetch } from "../oauth/openid.js";
import type { OAuthProvider } from "../oauth/provider.js";
import { dropboxRpc } from "./api.js";

/** The least Dropbox access the product needs: who the user is, folder listing, file read/write, share links. */
export const DROPBOX_SCOPES = [
  "account_info.read",
  // list_folder needs it; naming it keeps the grant explicit instead of relying on scope dependencies.
  "files.metadata.read",
  "files.content.read",
  "files.content.write",
  // exportToDropbox's opt-in public link (create_shared_link_with_settings, and list_shared_links
  // to find a file's existing link); named both, like files.metadata.read above.
  "sharing.read",
  "sharing.write",
] as const;

/** Where exports go until the user picks a folder. */
export const DEFAULT_EXPORT_PATH = "/QuizzicalBeats";

interface CurrentAccount {
  account_id: string;
  name?: { display_name?: string };
  email?: string;
}

export function createDropboxProvider(
  config: NonNullable<Config["dropbox"]>,
  fetchImpl: Fetch,
  timeoutMs: number,
): OAuthProvider {
  const http = { apiUrl: config.apiUrl, fetch: fetchImpl, timeoutMs };
  return {
    id: "DROPBOX",
    scopes: DROPBOX_SCOPES,
    // Without offline access Dropbox issues no refresh token and the user would reconnect every 4 hours.
    authorizeParams: { token_access_type: "offline" },
    redirectUri: config.redirectUri,
    defaultAccessTokenTtlSeconds: 14_400,
    configuration: createOAuthConfiguration(config, fetchImpl, timeoutMs),
    async fetchAccount(accessToken) {
      const account = await dropboxRpc<CurrentAccount>(http, "users/get_current_account", accessToken, undefined);
      return { accountId: account.account_id, accountName: account.name?.display_name ?? account.email ?? account.account_id };
    },
    async afterConnect(tx, userId) {
      await tx.user.updateMany({ where: { id: userId, dropboxExportPath: null }, data: { dropboxExportPath: DEFAULT_EXPORT_PATH } });
    },
    async revoke(accessToken) {
      // Dropbox's revocation is not RFC 7009: the live token as Bearer, no body.
      await dropboxRpc<unknown>(http, "auth/token/revoke", accessToken, undefined);
    },
  };
}
