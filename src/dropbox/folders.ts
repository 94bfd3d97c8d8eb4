import type { IntegrationLoader } from "../oauth/integration-loader.js";
import { ProviderUnavailableError } from "../oauth/errors.js";
import { DropboxApiError, dropboxRpc, type DropboxHttp } from "./api.js";
import { UserFacingError, ValidationError } from "../schema/errors.js";

export class DropboxPathNotFoundError extends UserFacingError {
  readonly code = "DROPBOX_PATH_NOT_FOUND";
  constructor(readonly path: string) {
    super(`There is no folder at ${path} in your Dropbox`);
  }
}

export interface FolderEntry {
  id: string;
  name: string;
  path: string;
}

export interface FolderPage {
  folders: FolderEntry[];
  cursor: string;
  hasMore: boolean;
}

interface ListFolderResult {
  entries: { ".tag": string; id?: string; name: string; path_display?: string; path_lower?: string }[];
  cursor: string;
  has_more: boolean;
}

/** One page of the folders directly under `path` ("" is the root), or the page after `cursor`. */
export async function listFolders(
  http: DropboxHttp,
  loader: IntegrationLoader,
  userId: string,
  request: { path: string; limit?: number } | { cursor: string },
): Promise<FolderPage> {
  try {
    const result = await loader.withAccessToken(userId, "DROPBOX", (token) =>
      "cursor" in request
        ? dropboxRpc<ListFolderResult>(http, "files/list_folder/continue", token, { cursor: request.cursor })
        : dropboxRpc<ListFolderResult>(http, "files/list_folder", token, {
            path: request.path,
            ...(request.limit ? { limit: request.limit } : {}),
          }),
    );
    return {
      folders: result.entries
        .filter((entry) => entry[".tag"] === "folder")
        .map((entry) => ({ id: entry.id ?? "", name: entry.name, path: entry.path_display ?? entry.path_lower ?? "" })),
      cursor: result.cursor,
      hasMore: result.has_more,
    };
  } catch (error) {
    throw mapDropboxError(error, "cursor" in request ? null : request.path || "/");
  }
}

/** Dropbox answers turned into errors a user can act on. */
function mapDropboxError(error: unknown, path: string | null): unknown {
  if (!(error instanceof DropboxApiError)) return error;
  if (error.status === 429) return new ProviderUnavailableError("DROPBOX", "rate limited", error.retryAfterSeconds);
  // Still 401 after a forced refresh and a retry: Dropbox is misbehaving, the grant is not known to be dead.
  if (error.status === 401) return new ProviderUnavailableError("DROPBOX", "authorization failed after a refresh");
  if (error.summary.startsWith("path/not_found") || error.summary.startsWith("path/not_folder")) {
    return new DropboxPathNotFoundError(path ?? "that location");
  }
  if (error.summary.startsWith("reset")) return new ValidationError("cursor", "The listing changed too much: start again without a cursor");
  if (error.status === 400) {
    return path === null
      ? new ValidationError("cursor", "cursor is not valid: use the cursor from the previous page")
      : new ValidationError("path", `Dropbox refused the path ${path}`);
  }
  return new ProviderUnavailableError("DROPBOX", `unexpected answer ${error.status}`);
}

export class DropboxPathConflictError extends UserFacingError {
  readonly code = "DROPBOX_PATH_CONFLICT";
  constructor(readonly path: string) {
    super(`Something already exists at ${path} in your Dropbox`);
  }
}

/** Creates a folder (and its parents); an existing file or folder there is a conflict. */
export async function createDropboxFolder(
  http: DropboxHttp,
  loader: IntegrationLoader,
  userId: string,
  path: string,
): Promise<FolderEntry> {
  try {
    const result = await loader.withAccessToken(userId, "DROPBOX", (token) =>
      dropboxRpc<{ metadata: { id: string; name: string; path_display: string } }>(http, "files/create_folder_v2", token, {
        path,
        autorename: false,
      }),
    );
    return { id: result.metadata.id, name: result.metadata.name, path: result.metadata.path_display };
  } catch (error) {
    if (error instanceof DropboxApiError && error.summary.startsWith("path/conflict")) throw new DropboxPathConflictError(path);
    throw mapDropboxError(error, path);
  }
}
