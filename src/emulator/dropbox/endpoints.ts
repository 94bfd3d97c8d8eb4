import { faultKindsByKey, type EndpointFamily, type FaultKind } from "../faults.js";

/**
 * Keys for call counts and fault injection. token:<grant_type> keys count (and can fail)
 * one grant type; a fault on plain "token" hits whichever grant type comes next.
 */
const FAMILY_BY_KEY = {
  authorize: "authorize",
  token: "token",
  "token:authorization_code": "token",
  "token:refresh_token": "token",
  get_current_account: "api",
  get_space_usage: "api",
  revoke: "api",
  list_folder: "api",
  list_folder_continue: "api",
  get_metadata: "api",
  create_folder_v2: "api",
  upload: "api",
  upload_session_start: "api",
  upload_session_append_v2: "api",
  upload_session_finish: "api",
  create_shared_link_with_settings: "api",
  list_shared_links: "api",
} as const satisfies Record<string, EndpointFamily>;

export type EndpointKey = keyof typeof FAMILY_BY_KEY;
export const ENDPOINT_KEYS = Object.keys(FAMILY_BY_KEY) as EndpointKey[];

/** invalid_grant only makes sense where tokens are granted, unauthorized only where they are used. */
const FAULTS_BY_FAMILY: Record<EndpointFamily, readonly FaultKind[]> = {
  authorize: ["http500", "timeout", "malformed", "rate_limited", "reset"],
  token: ["http500", "timeout", "malformed", "invalid_grant", "rate_limited", "reset"],
  api: ["http500", "timeout", "malformed", "unauthorized", "rate_limited", "reset", "lost_response"],
};

/** The fault kinds an endpoint key supports; undefined for an unknown key. */
export const allowedFaultKinds = faultKindsByKey(FAMILY_BY_KEY, FAULTS_BY_FAMILY);
