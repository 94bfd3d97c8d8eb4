export { startProviderEmulator, type EmulatorOptions, type RunningEmulator } from "./start.js";
export { emulatorOptionsFromEnv, startEmulatorFromEnv } from "./main.js";
export type { DropboxOptions, DropboxClientConfig, DropboxFilesOptions } from "./dropbox/config.js";
export type { DropboxAccountConfig } from "./dropbox/accounts.js";
export type { DropboxEmulatorControl, PendingConsentInfo } from "./dropbox/control/control.js";
export type { StoredEntry } from "./dropbox/control/entries.js";
export type { IssuedToken, TokenKind } from "./dropbox/oauth/token-store.js";
export type { FaultKind, FaultSpec, PendingFault } from "./faults.js";
export { ENDPOINT_KEYS, type EndpointKey } from "./dropbox/endpoints.js";
