import { CallCounter } from "../call-counter.js";
import { FaultInjector } from "../faults.js";
import { AuthCodeStore } from "../oauth/auth-codes.js";
import { ConsentStore } from "../oauth/consent-store.js";
import { TokenStore } from "../oauth/token-store.js";
import type { SpotifySettings } from "./config.js";
import type { SpotifyCodeGrant } from "./oauth/auth-codes.js";

/** Spotify's tokens are opaque; access tokens start "BQ", refresh tokens and codes "AQ". */
const TOKEN_PREFIXES = { access: "BQemu-", refresh: "AQemu-" };
const CODE_PREFIX = "AQemu-code-";

/** Everything mutable about the emulated Spotify; a reset replaces the whole object. */
export class SpotifyState {
  readonly tokens: TokenStore;
  readonly codes: AuthCodeStore<SpotifyCodeGrant>;
  readonly consents = new ConsentStore<SpotifyCodeGrant>();
  readonly faults = new FaultInjector();
  readonly calls = new CallCounter();
  readonly settings: SpotifySettings;

  constructor(defaults: SpotifySettings, clock: () => number) {
    this.settings = { ...defaults };
    this.tokens = new TokenStore(TOKEN_PREFIXES, clock);
    this.codes = new AuthCodeStore(CODE_PREFIX, clock);
  }
}
