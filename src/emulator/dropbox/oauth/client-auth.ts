import { createHash, timingSafeEqual } from "node:crypto";
import type { DropboxClientConfig } from "../config.js";

export type ClientAuth =
  | { ok: true; client: DropboxClientConfig }
  | { ok: false; error: "invalid_client" | "invalid_request"; description: string };

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | "malformed" | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function sameSecret(a: string, b: string): boolean {
  // Compared as digests so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Accepts HTTP Basic or client_id/client_secret in the body, never both. Unlike Dropbox,
 * which lets PKCE public clients omit the secret, a secret is always required here: the
 * server under test is a confidential client and must always send it.
 */
export function authenticateClient(
  clients: Map<string, DropboxClientConfig>,
  authorization: string | undefined,
  params: URLSearchParams,
): ClientAuth {
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
