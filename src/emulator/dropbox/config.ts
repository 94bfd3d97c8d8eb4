import { DEFAULT_ACCOUNTS, toAccounts, type Account, type DropboxAccountConfig } from "./accounts.js";

export interface DropboxClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Shown on the consent page (default: the client id). */
  name?: string;
}

export interface DropboxFilesOptions {
  /** Largest body one upload request may carry (Dropbox: 150 MiB). */
  maxRequestBytes?: number;
  /** Files up to this size keep their bytes so tests can read them back (default 1 MiB). */
  storeContentUpToBytes?: number;
  /** Space quota of every account in bytes; null = unlimited (default). */
  quotaBytes?: number | null;
}

export interface DropboxOptions {
  clients: DropboxClientConfig[];
  accessTokenTtlSeconds?: number;
  autoApprove?: boolean;
  accounts?: DropboxAccountConfig[];
  /** Page size of list_folder when the caller passes no limit (default 2000, Dropbox's maximum). */
  listFolderPageSize?: number;
  files?: DropboxFilesOptions;
}

/** The client `npm run emulator` and `npm run dev` register when nothing else is configured. */
export const DEV_CLIENT: DropboxClientConfig = {
  clientId: "dev-dropbox-key",
  clientSecret: "dev-dropbox-secret",
  redirectUris: ["http://localhost:5000/users/dropbox/callback"],
};

const MIB = 1024 * 1024;

/** Everything the control API can change at run time; reset() returns to these defaults. */
export interface Settings {
  autoApprove: boolean;
  accessTokenTtlSeconds: number;
  browserAccountId: string;
  listFolderPageSize: number;
  maxRequestBytes: number;
  storeContentUpToBytes: number;
  defaultQuotaBytes: number | null;
  quotaBytes: Map<string, number | null>;
}

export interface DropboxConfig {
  clients: Map<string, DropboxClientConfig>;
  accounts: Account[];
  defaults: Settings;
}

export function resolveConfig(options: DropboxOptions | undefined): DropboxConfig {
  const clients = new Map((options?.clients ?? [DEV_CLIENT]).map((client) => [client.clientId, client]));
  const accounts = toAccounts(options?.accounts ?? DEFAULT_ACCOUNTS);
  const firstAccount = accounts[0] as Account; // toAccounts refuses an empty list
  return {
    clients,
    accounts,
    defaults: {
      autoApprove: options?.autoApprove ?? false,
      accessTokenTtlSeconds: options?.accessTokenTtlSeconds ?? 14_400,
      browserAccountId: firstAccount.accountId,
      listFolderPageSize: options?.listFolderPageSize ?? 2000,
      maxRequestBytes: options?.files?.maxRequestBytes ?? 150 * MIB,
      storeContentUpToBytes: options?.files?.storeContentUpToBytes ?? MIB,
      defaultQuotaBytes: options?.files?.quotaBytes ?? null,
      quotaBytes: new Map(),
    },
  };
}

export function copySettings(settings: Settings): Settings {
  return { ...settings, quotaBytes: new Map(settings.quotaBytes) };
}
