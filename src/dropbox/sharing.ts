import type { IntegrationLoader } from "../oauth/integration-loader.js";
import { DropboxApiError, dropboxRpc, type DropboxHttp } from "./api.js";

/** Anyone with the link may view the file (not edit it). */
const PUBLIC_VIEW_ONLY = { requested_visibility: "public", audience: "public", access: "viewer" };

interface SharedLinkMetadata {
  url: string;
}

/**
 * A public, view-only link to the file at `path`. Dropbox keeps one link per file, so a file
 * that already has one (an earlier export to the same path, or the user sharing it) gets that
 * link back, with whatever settings its owner gave it: we never widen a link someone restricted.
 */
export async function publicShareLink(http: DropboxHttp, loader: IntegrationLoader, userId: string, path: string): Promise<string> {
  const call = <T>(endpoint: string, args: unknown) =>
    loader.withAccessToken(userId, "DROPBOX", (token) => dropboxRpc<T>(http, endpoint, token, args));
  try {
    const created = await call<SharedLinkMetadata>("sharing/create_shared_link_with_settings", { path, settings: PUBLIC_VIEW_ONLY });
    return created.url;
  } catch (error) {
    if (!(error instanceof DropboxApiError) || error.tag !== "shared_link_already_exists") throw error;
    const existing = (error.detail as { shared_link_already_exists?: { metadata?: Partial<SharedLinkMetadata> } } | undefined)
      ?.shared_link_already_exists?.metadata?.url;
    if (typeof existing === "string") return existing;
    // Dropbox leaves the metadata out when the existing link's settings differ from ours.
    const { links } = await call<{ links: SharedLinkMetadata[] }>("sharing/list_shared_links", { path, direct_only: true });
    const listed = links[0]?.url;
    if (typeof listed !== "string") throw error;
    return listed;
  }
}
