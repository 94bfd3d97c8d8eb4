import type { Router } from "../http/router.js";
import { accountEndpoints } from "./api/account-endpoints.js";
import { apiHandler, type ApiEndpoint } from "./api/dispatch.js";
import type { DropboxEmulator } from "./emulator.js";
import { fileEndpoints } from "./files/file-endpoints.js";
import { uploadEndpoints } from "./files/upload-endpoints.js";
import { sharingEndpoints } from "./sharing/sharing-endpoints.js";
import { AUTHORIZE_PATH, authorizeHandler, DECISION_PATH, decisionHandler } from "./oauth/authorize-endpoint.js";
import { TOKEN_PATH, tokenHandler } from "./oauth/token-endpoint.js";

const API_ENDPOINTS: readonly ApiEndpoint[] = [...accountEndpoints, ...fileEndpoints, ...uploadEndpoints, ...sharingEndpoints];

/**
 * Dropbox's OAuth pages, token endpoint and API on one origin: the server under test
 * points DROPBOX_AUTHORIZE_URL, _TOKEN_URL, _API_URL and _CONTENT_URL all at it.
 */
export function addDropboxRoutes(router: Router, emu: DropboxEmulator): void {
  router.add("GET", AUTHORIZE_PATH, authorizeHandler(emu));
  router.add("POST", DECISION_PATH, decisionHandler(emu));
  router.add("POST", TOKEN_PATH, tokenHandler(emu));
  for (const endpoint of API_ENDPOINTS) router.add("POST", endpoint.path, apiHandler(emu, endpoint));
}
