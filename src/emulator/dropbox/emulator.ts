import type { Account } from "./accounts.js";
import type { DropboxConfig } from "./config.js";
import { DropboxState } from "./state.js";

/** Fixed configuration plus the current state; handlers read `state` per request so reset() takes effect at once. */
export class DropboxEmulator {
  state: DropboxState;

  constructor(
    readonly config: DropboxConfig,
    readonly clock: () => number,
  ) {
    this.state = new DropboxState(config.defaults, clock);
  }

  reset(): void {
    this.state = new DropboxState(this.config.defaults, this.clock);
  }

  account(accountId: string): Account | undefined {
    return this.config.accounts.find((account) => account.accountId === accountId);
  }
}
