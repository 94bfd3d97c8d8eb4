import { CallCounter } from "../call-counter.js";
import { FaultInjector } from "../faults.js";
import { AuthCodeStore } from "../oauth/auth-codes.js";
import { ConsentStore } from "../oauth/consent-store.js";
import type { SpotifySettings } from "./config.js";
import { SPOTIFY_CODE_PREFIX, type SpotifyCodeGrant } from "./oauth/auth-codes.js";
import { SpotifyTokenStore } from "./oauth/token-store.js";

/** Everything mutable about the emulated Spotify; a reset replaces the whole object. */
export class SpotifyState {
  readonly tokens: SpotifyTokenStore;
  readonly codes: AuthCodeStore<SpotifyCodeGrant>;
  readonly consents = new ConsentStore<SpotifyCodeGrant>();
  readonly faults = new FaultInjector();
  readonly calls = new CallCounter();
  readonly settings: SpotifySettings;

  constructor(defaults: SpotifySettings, clock: () => number) {
    this.settings = { ...defaults };
    this.tokens = new SpotifyTokenStore(clock);
    this.codes = new AuthCodeStore(SPOTIFY_CODE_PREFIX, clock);
  }
}
