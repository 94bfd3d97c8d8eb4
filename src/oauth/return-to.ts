/**
 * Where to send the browser after an OAuth flow. Only a path, or an absolute URL on APP_URL's
 * origin, is accepted, so the callback can never be used as an open redirect.
 * Returns the absolute URL, or an error message for the user.
 */
export function resolveReturnTo(returnTo: string | null | undefined, appUrl: string): { url: string } | { error: string } {
  const base = new URL(appUrl);
  if (returnTo === null || returnTo === undefined || returnTo === "") return { url: `${appUrl}/profile` };
  if (returnTo.length > 2048) return { error: "returnTo must be at most 2048 characters" };
  if (/[\u0000-\u001f\u007f\\]/.test(returnTo)) return { error: "returnTo must not contain control characters or backslashes" };
  if (returnTo.startsWith("/") && !returnTo.startsWith("//")) {
    const url = new URL(returnTo, base);
    if (url.origin === base.origin) return { url: url.toString() };
  } else {
    let url: URL;
    try {
      url = new URL(returnTo);
    } catch {
      return { error: `returnTo must be a path like /profile or a URL on ${base.origin}` };
    }
    if (url.origin === base.origin && url.username === "" && url.password === "") return { url: url.toString() };
  }
  return { error: `returnTo must be a path like /profile or a URL on ${base.origin}` };
}

/** Appends the outcome parameters to the return URL (keeping its own query and fragment). */
export function withOutcome(returnTo: string, params: Record<string, string>): string {
  const url = new URL(returnTo);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
