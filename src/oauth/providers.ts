import type { Config } from "../config.js";
import { createDropboxProvider } from "../dropbox/provider.js";
import { createSpotifyProvider } from "../spotify/provider.js";
import type { Fetch } from "./openid.js";
import type { OAuthProvider, ProviderId } from "./provider.js";

/** The providers this server is configured for; an unconfigured one is simply absent. */
export function createProviders(config: Config, fetchImpl: Fetch): Partial<Record<ProviderId, OAuthProvider>> {
  return {
    ...(config.spotify ? { SPOTIFY: createSpotifyProvider(config.spotify, fetchImpl, config.providerTimeoutMs) } : {}),
    ...(config.dropbox ? { DROPBOX: createDropboxProvider(config.dropbox, fetchImpl, config.providerTimeoutMs) } : {}),
  };
}
