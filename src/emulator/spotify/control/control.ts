import {
  accountRequirement,
  booleanArg,
  oauthControl,
  type ConsentInfo,
  type OAuthEmulatorControl,
} from "../../control/oauth-control.js";
import type { SpotifyEmulator } from "../emulator.js";
import { allowedSpotifyFaultKinds } from "../endpoints.js";

type ConsentExtra = {
  /** Whether the authorize request carried a PKCE challenge. */
  pkce: boolean;
};
export type SpotifyPendingConsentInfo = ConsentInfo<ConsentExtra>;

/** Test-side control of the emulated Spotify: the OAuth operations plus refresh token rotation. */
export interface SpotifyEmulatorControl extends OAuthEmulatorControl<ConsentExtra> {
  setRotateRefreshTokens(enabled: boolean): void;
}

export function createSpotifyControl(emu: SpotifyEmulator): SpotifyEmulatorControl {
  return {
    ...oauthControl({
      emu,
      allowedFaultKinds: allowedSpotifyFaultKinds,
      requireAccount: accountRequirement((accountId) => emu.account(accountId), "Spotify account"),
      consentExtra: (consent) => ({ pkce: consent.codeChallenge !== null }),
    }),

    setRotateRefreshTokens(enabled) {
      emu.state.settings.rotateRefreshTokens = booleanArg(enabled, "enabled");
    },
  };
}
