import { parseBasic, sameSecret } from "../../oauth/basic-auth.js";
import { tokenFailure, type ClientAuth } from "../../oauth/token-endpoint.js";
import type { SpotifyClientConfig } from "../config.js";

/**
 * HTTP Basic (what Spotify documents) or client_id/client_secret in the body. Spotify lets a
 * PKCE public client omit the secret; the emulator always requires it, because the server
 * under test is a confidential client and must send it. Failures are invalid_client.
 */
export function authenticateSpotifyClient(
  clients: Map<string, SpotifyClientConfig>,
  authorization: string | undefined,
  params: URLSearchParams,
): ClientAuth<SpotifyClientConfig> {
  const basic = parseBasic(authorization);
  if (basic === "malformed") return tokenFailure("invalid_client", "Invalid client");
  if (basic && params.has("client_id") && params.get("client_id") !== basic.id) {
    return tokenFailure("invalid_client", "Invalid client");
  }
  const client = clients.get(basic?.id ?? params.get("client_id") ?? "");
  if (!client) return tokenFailure("invalid_client", "Invalid client");
  const secret = basic?.secret ?? params.get("client_secret");
  if (secret === null || !sameSecret(secret, client.clientSecret))
    return tokenFailure("invalid_client", "Invalid client secret");
  return { ok: true, client };
}
