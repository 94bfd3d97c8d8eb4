import { parseBasic, sameSecret } from "../../oauth/basic-auth.js";
import type { ClientAuth } from "../../oauth/token-endpoint.js";
import type { DropboxClientConfig } from "../config.js";

/**
 * Accepts HTTP Basic or client_id/client_secret in the body, never both. Unlike Dropbox,
 * which lets PKCE public clients omit the secret, a secret is always required here: the
 * server under test is a confidential client and must always send it.
 */
export function authenticateClient(
  clients: Map<string, DropboxClientConfig>,
  authorization: string | undefined,
  params: URLSearchParams,
): ClientAuth<DropboxClientConfig> {
  const basic = parseBasic(authorization);
  if (basic === "malformed") return { ok: false, error: "invalid_client", description: "Malformed Basic credentials" };
  if (basic && params.has("client_secret")) {
    return { ok: false, error: "invalid_request", description: "Use only one client authentication method" };
  }
  if (basic && params.has("client_id") && params.get("client_id") !== basic.id) {
    return { ok: false, error: "invalid_request", description: "client_id does not match the Basic credentials" };
  }
  const id = basic?.id ?? params.get("client_id");
  const secret = basic?.secret ?? params.get("client_secret");
  if (id === null || secret === null) {
    return { ok: false, error: "invalid_client", description: "Client authentication is required" };
  }
  const client = clients.get(id);
  if (!client || !sameSecret(secret, client.clientSecret)) {
    return { ok: false, error: "invalid_client", description: "Invalid client_id or client_secret" };
  }
  return { ok: true, client };
}
