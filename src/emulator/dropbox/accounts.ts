export interface DropboxAccountConfig {
  accountId: string;
  displayName: string;
  email: string;
}

export const DEFAULT_ACCOUNTS: readonly DropboxAccountConfig[] = [
  { accountId: "dbid:AAA-alice", displayName: "Alice Example", email: "alice@example.com" },
  { accountId: "dbid:BBB-bob", displayName: "Bob Example", email: "bob@example.com" },
];

export interface Account extends DropboxAccountConfig {
  /** Dropbox's legacy numeric user id, returned as "uid" by the token endpoint. */
  uid: string;
}

export function toAccounts(configs: readonly DropboxAccountConfig[]): Account[] {
  if (configs.length === 0) throw new Error("provider emulator: at least one Dropbox account is required");
  const seen = new Set<string>();
  return configs.map((config, index) => {
    if (seen.has(config.accountId)) {
      throw new Error(`provider emulator: duplicate Dropbox account id ${config.accountId}`);
    }
    seen.add(config.accountId);
    // Position-based, so a given configuration always yields the same uids.
    return { ...config, uid: String(100_000_001 + index) };
  });
}

/** The FullAccount shape of /2/users/get_current_account for a personal (basic) account. */
export function fullAccountJson(account: Account): Record<string, unknown> {
  const words = account.displayName.trim().split(/\s+/).filter(Boolean);
  const given = words[0] ?? "";
  const surname = words.slice(1).join(" ");
  const initials = [words[0], words.length > 1 ? words[words.length - 1] : undefined]
    .map((word) => word?.[0]?.toUpperCase() ?? "")
    .join("");
  return {
    account_id: account.accountId,
    name: {
      given_name: given,
      surname,
      familiar_name: given,
      display_name: account.displayName,
      abbreviated_name: initials,
    },
    email: account.email,
    email_verified: true,
    disabled: false,
    country: "GB",
    locale: "en",
    referral_link: `https://db.tt/emu${account.uid}`,
    is_paired: false,
    account_type: { ".tag": "basic" },
    root_info: { ".tag": "user", root_namespace_id: account.uid, home_namespace_id: account.uid },
  };
}
