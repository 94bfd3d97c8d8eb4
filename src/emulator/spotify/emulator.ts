import type { SpotifyAccount } from "./accounts.js";
import { buildCatalog } from "./catalog/build.js";
import type { Catalog } from "./catalog/model.js";
import type { SpotifyConfig } from "./config.js";
import { SpotifyState } from "./state.js";

/**
 * Fixed configuration and catalog plus the current state; handlers read `state` per request
 * so reset() takes effect at once. The catalog is read-only, so a reset keeps it.
 */
export class SpotifyEmulator {
  state: SpotifyState;
  readonly catalog: Catalog;

  constructor(
    readonly config: SpotifyConfig,
    readonly clock: () => number,
  ) {
    this.state = new SpotifyState(config.defaults, clock);
    this.catalog = buildCatalog(config.accounts);
  }

  reset(): void {
    this.state = new SpotifyState(this.config.defaults, this.clock);
  }

  account(accountId: string): SpotifyAccount | undefined {
    return this.config.accounts.find((account) => account.id === accountId);
  }
}
