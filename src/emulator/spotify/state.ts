import { CallCounter } from "../call-counter.js";
import { FaultInjector } from "../faults.js";
import { ConsentStore } from "../oauth/consent-store.js";
import type { SpotifySettings } from "./config.js";
import { SpotifyCodeStore, type SpotifyCodeGrant } from "./oauth/auth-codes.js";
import { SpotifyTokenStore } from "./oauth/token-store.js";

/** Everything mutable about the emulated Spotify; a reset replaces the whole object. */
export class SpotifyState {
  readonly tokens: SpotifyTokenStore;
  readonly codes: SpotifyCodeStore;
  readonly consents = new ConsentStore<SpotifyCodeGrant>();
  readonly faults = new FaultInjector();
  readonly calls = new CallCounter();
  readonly settings: SpotifySettings;

  constructor(defaults: SpotifySettings, clock: () => number) {
    this.settings = { ...defaults };
    this.tokens = new SpotifyTokenStore(clock);
    this.codes = new SpotifyCodeStore(clock);
  }
}
