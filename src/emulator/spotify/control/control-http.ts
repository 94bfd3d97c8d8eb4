import { field, mountControl, OK } from "../../control/json-control.js";
import { oauthControlOperations } from "../../control/oauth-control-http.js";
import type { Router } from "../../http/router.js";
import type { SpotifyEmulatorControl } from "./control.js";

export const SPOTIFY_CONTROL_PREFIX = "/__emulator/spotify";

/** Mounts the JSON control API under /__emulator/spotify: the OAuth operations plus rotation. */
export function addSpotifyControlRoutes(router: Router, control: SpotifyEmulatorControl): void {
  mountControl(router, SPOTIFY_CONTROL_PREFIX, [
    ...oauthControlOperations(control),
    [
      "PUT",
      "/rotate-refresh-tokens",
      (body) => (control.setRotateRefreshTokens(field(body, "enabled", "boolean")), OK),
    ],
  ]);
}
