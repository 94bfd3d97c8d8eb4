import { randomBytes } from "node:crypto";
import type { ArgReader } from "../api/args.js";
import { routeError } from "../api/errors.js";
import { dropboxTime } from "../files/metadata.js";
import type { TreeNode } from "../files/tree.js";

const AUDIENCES = ["public", "team", "no_one", "password", "members"] as const;
const ACCESS_LEVELS = ["viewer", "editor", "max", "default"] as const;

/** Who can open a link: SharedLinkSettings' requested_visibility and audience, resolved to one. */
export type LinkAudience = (typeof AUDIENCES)[number];
type LinkAccess = (typeof ACCESS_LEVELS)[number];

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/** A union tag from `values`, absent when not given; anything else is bad input. */
function tagOf<T extends string>(value: string | undefined, values: readonly T[], fail: () => never): T | undefined {
  if (!value) return undefined;
  return isOneOf(values, value) ? value : fail();
}

interface LinkSettings {
  audience: LinkAudience;
  access: LinkAccess;
}

/** One shared link. It points at the file or folder id, so it survives overwrites as on Dropbox. */
interface SharedLink extends LinkSettings {
  linkId: string;
  accountId: string;
  nodeId: string;
  url: string;
  createdAt: number;
}

/** A shared link as the control API reports it. */
export interface SharedLinkInfo extends LinkSettings {
  url: string;
  accountId: string;
  /** Where the shared file or folder is now; null if it is gone. */
  pathLower: string | null;
  createdAt: number;
}

export function sharedLinkInfo(link: SharedLink, node: TreeNode | undefined): SharedLinkInfo {
  const { url, accountId, audience, access, createdAt } = link;
  return { url, accountId, audience, access, createdAt, pathLower: node?.pathLower ?? null };
}

/** Information only: the emulator never serves these URLs, and nothing should fetch them. */
function linkUrl(linkId: string, node: TreeNode): string {
  return `https://www.dropbox.com/scl/${node.kind === "file" ? "fi" : "fo"}/${linkId}/${encodeURIComponent(node.name)}?dl=0`;
}

/** Dropbox keeps at most one link per item and user, so that pair is the key. */
const keyOf = (accountId: string, nodeId: string) => `${accountId}\n${nodeId}`;

export class SharedLinkStore {
  private readonly links = new Map<string, SharedLink>();

  constructor(private readonly clock: () => number) {}

  /** The account's link to this file or folder. */
  find(accountId: string, nodeId: string): SharedLink | undefined {
    return this.links.get(keyOf(accountId, nodeId));
  }

  /** A new link; callers answer an existing one their own way, so asking twice is a bug. */
  create(accountId: string, node: TreeNode, settings: LinkSettings): SharedLink {
    const key = keyOf(accountId, node.id);
    if (this.links.has(key)) throw new Error(`${accountId} already has a link to ${node.pathLower}`);
    const linkId = randomBytes(12).toString("hex");
    const link = { linkId, accountId, nodeId: node.id, url: linkUrl(linkId, node), createdAt: this.clock(), ...settings };
    this.links.set(key, link);
    return link;
  }

  list(accountId: string): SharedLink[] {
    return [...this.links.values()].filter((link) => link.accountId === accountId);
  }
}

/** What a personal account can share with: anyone who has the link, or only people with access anyway. */
export const PERSONAL_AUDIENCES: readonly LinkAudience[] = ["public", "no_one"];
const VISIBILITIES: Record<string, LinkAudience> = { public: "public", team_only: "team", password: "password" };

function settingsError(tag: string) {
  return routeError(`settings_error/${tag}`, { ".tag": "settings_error", settings_error: { ".tag": tag } });
}

/**
 * SharedLinkSettings as create_shared_link_with_settings reads them. audience wins over the
 * older requested_visibility; the default is a public view-only link. The emulated accounts are
 * personal (no team) and links carry no password, so team and password links are refused.
 */
export function readLinkSettings(args: ArgReader): LinkSettings {
  const raw = args.optionalObject("settings");
  const visibility = raw?.union("requested_visibility", "").tag;
  const audienceTag = raw?.union("audience", "").tag;
  const accessTag = raw?.union("access", "").tag;
  if (visibility && !Object.hasOwn(VISIBILITIES, visibility)) raw!.fail("requested_visibility", `unknown visibility "${visibility}"`);
  const audience = tagOf(audienceTag, AUDIENCES, () => raw!.fail("audience", `unknown audience "${audienceTag}"`));
  const access = tagOf(accessTag, ACCESS_LEVELS, () => raw!.fail("access", `unknown access level "${accessTag}"`));
  const resolved = audience || (visibility ? VISIBILITIES[visibility] : undefined) || "public";
  if (resolved === "team" || resolved === "members") throw settingsError("not_authorized");
  if (resolved === "password") throw settingsError("invalid_settings");
  return { audience: resolved, access: access || "viewer" };
}

/** SharedLinkMetadata (FileLinkMetadata / FolderLinkMetadata) for a link and its item. */
export function linkMetadataJson(link: SharedLink, node: TreeNode): Record<string, unknown> {
  const common = {
    url: link.url,
    id: node.id,
    name: node.name,
    path_lower: node.pathLower,
    link_permissions: {
      can_revoke: true,
      resolved_visibility: { ".tag": link.audience },
      effective_audience: { ".tag": link.audience },
      link_access_level: { ".tag": link.access === "editor" ? "editor" : "viewer" },
      allow_download: true,
    },
  };
  if (node.kind === "folder") return { ".tag": "folder", ...common };
  return {
    ".tag": "file",
    ...common,
    client_modified: dropboxTime(node.clientModified),
    server_modified: dropboxTime(node.serverModified),
    rev: node.rev,
    size: node.size,
  };
}
