import { CallCounter } from "../call-counter.js";
import { FaultInjector } from "../faults.js";
import { AuthCodeStore } from "../oauth/auth-codes.js";
import { ConsentStore } from "../oauth/consent-store.js";
import { TokenStore } from "../oauth/token-store.js";
import { copySettings, type Settings } from "./config.js";
import { FileTree } from "./files/tree.js";
import { UploadSessionStore } from "./files/upload-sessions.js";
import type { CodeGrant } from "./oauth/auth-codes.js";
import { SharedLinkStore } from "./sharing/shared-links.js";

/** Dropbox's short-lived access tokens start "sl.". */
const TOKEN_PREFIXES = { access: "sl.emu-", refresh: "emu-rt-" };
const CODE_PREFIX = "emu-code-";

/** Everything mutable about the emulated Dropbox; a reset replaces the whole object. */
export class DropboxState {
  readonly tokens: TokenStore;
  readonly codes: AuthCodeStore<CodeGrant>;
  readonly uploads: UploadSessionStore;
  readonly links: SharedLinkStore;
  readonly consents = new ConsentStore<CodeGrant>();
  readonly faults = new FaultInjector();
  readonly calls = new CallCounter();
  readonly settings: Settings;
  private readonly drives = new Map<string, FileTree>();

  constructor(
    defaults: Settings,
    private readonly clock: () => number,
  ) {
    this.settings = copySettings(defaults);
    this.tokens = new TokenStore(TOKEN_PREFIXES, clock);
    this.codes = new AuthCodeStore(CODE_PREFIX, clock);
    this.uploads = new UploadSessionStore(clock);
    this.links = new SharedLinkStore(clock);
  }

  /** The account's file tree, created empty on first use. */
  drive(accountId: string): FileTree {
    let tree = this.drives.get(accountId);
    if (!tree) {
      tree = new FileTree(this.clock);
      this.drives.set(accountId, tree);
    }
    return tree;
  }

  quotaBytes(accountId: string): number | null {
    const quota = this.settings.quotaBytes.get(accountId);
    return quota === undefined ? this.settings.defaultQuotaBytes : quota;
  }
}
