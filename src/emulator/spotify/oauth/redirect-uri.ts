export type RedirectCheck = "ok" | "insecure" | "unregistered";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/**
 * Spotify's redirect URI rules (enforced since April 2025): HTTPS, or HTTP only on a loopback
 * IP literal; `localhost` is refused outright. The match is exact, except that a loopback URI
 * registered without a port accepts any port (RFC 8252 §7.3 dynamic ports).
 */
export function checkRedirectUri(requested: string, registered: readonly string[]): RedirectCheck {
  const url = parse(requested);
  if (!url) return "unregistered";
  if (url.hostname === "localhost") return "insecure";
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) return "insecure";
  if (registered.includes(requested)) return "ok";
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.port === "") return "unregistered";
  const withoutPort = new URL(requested);
  withoutPort.port = "";
  const portless = withoutPort.toString();
  return registered.some((uri) => {
    const candidate = parse(uri);
    return candidate !== null && candidate.port === "" && candidate.toString() === portless;
  })
    ? "ok"
    : "unregistered";
}
