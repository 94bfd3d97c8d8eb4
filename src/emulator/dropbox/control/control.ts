import { ControlError } from "../../control/control-error.js";
import { positiveInteger } from "../../control/fault-spec.js";
import {
  accountRequirement,
  oauthControl,
  type ConsentInfo,
  type OAuthEmulatorControl,
} from "../../control/oauth-control.js";
import type { DropboxEmulator } from "../emulator.js";
import { allowedFaultKinds } from "../endpoints.js";
import { contentHashOf } from "../files/content-hash.js";
import { parseSlashPath } from "../files/paths.js";
import { lowerPath } from "../files/tree.js";
import type { UploadSessionInfo } from "../files/upload-sessions.js";
import { commitFile, createFolder, WriteFailure } from "../files/write.js";
import { DENIED_DESCRIPTION } from "../oauth/authorize-endpoint.js";
import { PERSONAL_AUDIENCES, sharedLinkInfo, type LinkAudience, type SharedLinkInfo } from "../sharing/shared-links.js";
import { storedEntry, type StoredEntry } from "./entries.js";

/** Dropbox's consents also say whether the app asked for a refresh token. */
type ConsentExtra = { offline: boolean };
export type PendingConsentInfo = ConsentInfo<ConsentExtra>;

/** Test-side control of the emulated Dropbox: the OAuth operations plus files, quotas and shared links. */
export interface DropboxEmulatorControl extends OAuthEmulatorControl<ConsentExtra> {
  setListFolderPageSize(size: number): void;
  createFolder(accountId: string, path: string): StoredEntry;
  /** Writes (or overwrites) a file directly, bypassing upload limits and quota. */
  putFile(accountId: string, path: string, content: string | Uint8Array): StoredEntry;
  listFiles(accountId: string): StoredEntry[];
  listUploadSessions(): UploadSessionInfo[];
  /** Space quota in bytes for one account; null = unlimited. */
  setQuota(accountId: string, bytes: number | null): void;
  /** Lower Dropbox's 150 MiB per-request cap, or how large a file may be to keep its bytes. */
  setUploadLimits(limits: UploadLimits): void;
  listSharedLinks(accountId: string): SharedLinkInfo[];
  /**
   * Shares an existing file or folder as its owner would on dropbox.com, e.g. with other settings
   * than an app asks for (default: public, view only).
   */
  createSharedLink(accountId: string, path: string, audience?: LinkAudience): SharedLinkInfo;
}

export interface UploadLimits {
  maxRequestBytes?: number;
  storeContentUpToBytes?: number;
}

function byteCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ControlError(`${what} must be a byte count`);
  return value;
}

function requirePath(path: string): string[] {
  const parts = typeof path === "string" ? parseSlashPath(path) : null;
  if (!parts) throw new ControlError(`"${String(path)}" is not an absolute Dropbox path like /folder/file.txt`);
  return parts;
}

function write<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof WriteFailure) throw new ControlError(`cannot write: ${error.tag}`);
    throw error;
  }
}

export function createDropboxControl(emu: DropboxEmulator): DropboxEmulatorControl {
  const requireAccount = accountRequirement((accountId) => emu.account(accountId), "account");
  return {
    ...oauthControl({
      emu,
      allowedFaultKinds,
      requireAccount,
      consentExtra: (consent) => ({ offline: consent.offline }),
      deniedDescription: DENIED_DESCRIPTION,
    }),

    setListFolderPageSize(size) {
      emu.state.settings.listFolderPageSize = positiveInteger(size, "size");
    },

    createFolder(accountId, path) {
      const tree = emu.state.drive(requireAccount(accountId));
      return write(() => storedEntry(createFolder(tree, requirePath(path), false)));
    },

    putFile(accountId, path, content) {
      const tree = emu.state.drive(requireAccount(accountId));
      const bytes = Buffer.from(content);
      const keep = bytes.length <= emu.state.settings.storeContentUpToBytes;
      const file = write(() =>
        commitFile(tree, null, requirePath(path), {
          mode: { kind: "overwrite" },
          autorename: false,
          strictConflict: false,
          size: bytes.length,
          contentHash: contentHashOf(bytes),
          content: keep ? bytes : null,
          clientModified: emu.clock(),
        }),
      );
      return storedEntry(file);
    },

    listFiles(accountId) {
      return emu.state.drive(requireAccount(accountId)).all().map(storedEntry);
    },

    listUploadSessions() {
      return emu.state.uploads.list();
    },

    setQuota(accountId, bytes) {
      emu.state.settings.quotaBytes.set(requireAccount(accountId), bytes === null ? null : byteCount(bytes, "bytes"));
    },

    setUploadLimits(limits) {
      const settings = emu.state.settings;
      if (limits.maxRequestBytes !== undefined) {
        settings.maxRequestBytes = byteCount(limits.maxRequestBytes, "maxRequestBytes");
      }
      if (limits.storeContentUpToBytes !== undefined) {
        settings.storeContentUpToBytes = byteCount(limits.storeContentUpToBytes, "storeContentUpToBytes");
      }
    },

    listSharedLinks(accountId) {
      const tree = emu.state.drive(requireAccount(accountId));
      return emu.state.links.list(accountId).map((link) => sharedLinkInfo(link, tree.getById(link.nodeId)));
    },

    createSharedLink(accountId, path, audience = "public") {
      const tree = emu.state.drive(requireAccount(accountId));
      const node = tree.get(lowerPath(requirePath(path)));
      if (!node) throw new ControlError(`nothing at "${path}"`);
      if (!PERSONAL_AUDIENCES.includes(audience)) {
        throw new ControlError(`audience must be one of ${PERSONAL_AUDIENCES.join(", ")}`);
      }
      if (emu.state.links.find(accountId, node.id)) throw new ControlError(`"${path}" already has a shared link`);
      return sharedLinkInfo(emu.state.links.create(accountId, node, { audience, access: "viewer" }), node);
    },
  };
}
