import { AUTHORIZE_PATH } from "./dropbox/oauth/authorize-endpoint.js";
import { TOKEN_PATH } from "./dropbox/oauth/token-endpoint.js";
import { SPOTIFY_AUTHORIZE_PATH } from "./spotify/oauth/authorize-endpoint.js";
import { SPOTIFY_TOKEN_PATH } from "./spotify/oauth/token-endpoint.js";

/**
 * The server's environment variables that send it to an emulator listening at `url` instead of
 * the real providers (client ids, secrets and redirect URIs are the caller's to add).
 */
export function serverEnvForEmulator(url: string) {
  return {
    DROPBOX_AUTHORIZE_URL: `${url}${AUTHORIZE_PATH}`,
    DROPBOX_TOKEN_URL: `${url}${TOKEN_PATH}`,
    DROPBOX_API_URL: url,
    DROPBOX_CONTENT_URL: url,
    SPOTIFY_AUTHORIZE_URL: `${url}${SPOTIFY_AUTHORIZE_PATH}`,
    SPOTIFY_TOKEN_URL: `${url}${SPOTIFY_TOKEN_PATH}`,
    SPOTIFY_API_URL: url,
  };
}
