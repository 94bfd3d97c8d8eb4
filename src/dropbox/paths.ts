/**
 * Dropbox path rules, checked before anything reaches Dropbox so the user learns exactly what
 * is wrong with a path. Used for the export path, folder names and file names.
 */
export const MAX_PATH_LENGTH = 1024;
export const MAX_NAME_LENGTH = 255;

const FORBIDDEN_CHARACTERS = /[<>:"|?*]/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Names Dropbox refuses to store (`disallowed_name`). */
const DISALLOWED_NAMES = new Set(["desktop.ini", "thumbs.db", ".ds_store", "icon\r", ".dropbox", ".dropbox.attr"]);

export type PathCheck = { ok: true; value: string } | { ok: false; message: string };

/** Checks one file or folder name. `what` names it in messages, e.g. "Folder name". */
export function checkName(name: string, what = "Name"): PathCheck {
  if (name.length === 0) return { ok: false, message: `${what} must not be empty` };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, message: `${what} must be at most ${MAX_NAME_LENGTH} characters` };
  if (CONTROL_CHARACTERS.test(name)) return { ok: false, message: `${what} must not contain control characters` };
  if (name.includes("\\")) return { ok: false, message: `${what} must not contain backslashes (use / between folders)` };
  if (name.includes("/")) return { ok: false, message: `${what} must not contain /` };
  if (name === "." || name === "..") return { ok: false, message: `${what} must not be "." or ".."` };
  if (FORBIDDEN_CHARACTERS.test(name)) {
    return { ok: false, message: `${what} "${name}" contains a character Dropbox does not allow: < > : " | ? *` };
  }
  if (/^\s|\s$/.test(name)) return { ok: false, message: `${what} "${name}" must not start or end with a space` };
  if (name.endsWith(".")) return { ok: false, message: `${what} "${name}" must not end with a dot` };
  if (DISALLOWED_NAMES.has(name.toLowerCase())) return { ok: false, message: `${what} "${name}" is a name Dropbox does not allow` };
  return { ok: true, value: name };
}

/**
 * Normalizes a folder path: single slashes, a leading slash, no trailing slash.
 * Rejects "." and ".." segments, backslashes, control characters, over-long paths and
 * names Dropbox refuses. The root itself is not a folder path.
 */
export function normalizeFolderPath(raw: string, what = "Path"): PathCheck {
  if (CONTROL_CHARACTERS.test(raw)) return { ok: false, message: `${what} must not contain control characters` };
  if (raw.includes("\\")) return { ok: false, message: `${what} must not contain backslashes (use / between folders)` };
  const segments = raw.split("/").filter((segment) => segment !== "");
  if (segments.length === 0) return { ok: false, message: `${what} must name a folder, e.g. /QuizzicalBeats` };
  // The limit applies to the path as stored: repeated slashes dropped, the leading slash added.
  const value = `/${segments.join("/")}`;
  if (value.length > MAX_PATH_LENGTH) return { ok: false, message: `${what} must be at most ${MAX_PATH_LENGTH} characters` };
  for (const segment of segments) {
    if (segment === "." || segment === "..") return { ok: false, message: `${what} must not contain "." or ".." segments` };
    const check = checkName(segment, "Folder name");
    if (!check.ok) return { ok: false, message: `${what} is invalid: ${check.message}` };
  }
  return { ok: true, value };
}
