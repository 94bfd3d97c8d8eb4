import { pendingFault, positiveInteger } from "../../control/fault-spec.js";
import type { FaultSpec, PendingFault } from "../../faults.js";
import type { IssuedToken } from "../../oauth/token-store.js";
import type { DropboxEmulator } from "../emulator.js";
import { allowedFaultKinds } from "../endpoints.js";
import { contentHashOf } from "../files/content-hash.js";
import { parseSlashPath } from "../files/paths.js";
import { commitFile, createFolder, WriteFailure } from "../files/write.js";
import { decisionRedirect, type Decision } from "../oauth/decide.js";
import type { UploadSessionInfo } from "../files/upload-sessions.js";
import { ControlError } from "../../control/control-error.js";
import { storedEntry, type StoredEntry } from "./entries.js";
import { lowerPath } from "../files/tree.js";
import { PERSONAL_AUDIENCES, sharedLinkInfo, type LinkAudience, type SharedLinkInfo } from "../sharing/shared-links.js";

export interface PendingConsentInfo {
  requestId: string;
  clientId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  offline: boolean;
  state: string | null;
}

/** Test-side control of the emulated Dropbox; the HTTP control API maps onto these methods. */
export interface DropboxEmulatorControl {
  injectFault(spec: FaultSpec): void;
  listFaults(): PendingFault[];
  clearFaults(): void;
  /** Requests per endpoint key, token requests also per grant type (token:refresh_token). */
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  listTokens(): IssuedToken[];
  listPendingConsents(): PendingConsentInfo[];
  /** Decides a consent page as the user would; returns where the browser is sent. */
  decideConsent(requestId: string, decision: Decision): { location: string };
  setBrowserAccount(accountId: string): void;
  setAutoApprove(enabled: boolean): void;
  setAccessTokenTtl(seconds: number): void;
  setListFolderPageSize(size: number): void;
  /** The user removes the app in their Dropbox settings: every grant's tokens die. */
  revokeUserGrant(accountId: string, clientId?: string): { revokedGrants: number };
  expireAccessTokens(): void;
  /** Back to the configured initial state: tokens, files, faults, counts and settings. */
  reset(): void;
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

export class DropboxControl implements DropboxEmulatorControl {
  constructor(private readonly emu: DropboxEmulator) {}

  injectFault(spec: FaultSpec): void {
    this.emu.state.faults.add(pendingFault(spec, allowedFaultKinds(spec.endpoint)));
  }

  listFaults(): PendingFault[] {
    return this.emu.state.faults.list();
  }

  clearFaults(): void {
    this.emu.state.faults.clear();
  }

  callCounts(): Record<string, number> {
    return this.emu.state.calls.snapshot();
  }

  resetCallCounts(): void {
    this.emu.state.calls.reset();
  }

  listTokens(): IssuedToken[] {
    return this.emu.state.tokens.list();
  }

  listPendingConsents(): PendingConsentInfo[] {
    return this.emu.state.consents.list().map((consent) => ({
      requestId: consent.requestId,
      clientId: consent.clientId,
      accountId: consent.accountId,
      redirectUri: consent.redirectUri,
      scopes: consent.scopes,
      offline: consent.offline,
      state: consent.state,
    }));
  }

  decideConsent(requestId: string, decision: Decision): { location: string } {
    if (decision !== "allow" && decision !== "deny") throw new ControlError('decision must be "allow" or "deny"');
    const consent = this.emu.state.consents.take(requestId);
    if (!consent) throw new ControlError(`no pending consent "${requestId}"`);
    return { location: decisionRedirect(this.emu.state, consent, consent.state, decision) };
  }

  setBrowserAccount(accountId: string): void {
    this.emu.state.settings.browserAccountId = this.requireAccount(accountId);
  }

  setAutoApprove(enabled: boolean): void {
    if (typeof enabled !== "boolean") throw new ControlError("enabled must be a boolean");
    this.emu.state.settings.autoApprove = enabled;
  }

  setAccessTokenTtl(seconds: number): void {
    this.emu.state.settings.accessTokenTtlSeconds = positiveInteger(seconds, "seconds");
  }

  setListFolderPageSize(size: number): void {
    this.emu.state.settings.listFolderPageSize = positiveInteger(size, "size");
  }

  revokeUserGrant(accountId: string, clientId?: string): { revokedGrants: number } {
    return { revokedGrants: this.emu.state.tokens.revokeAccountGrants(this.requireAccount(accountId), clientId) };
  }

  expireAccessTokens(): void {
    this.emu.state.tokens.expireAccessTokens();
  }

  reset(): void {
    this.emu.reset();
  }

  createFolder(accountId: string, path: string): StoredEntry {
    const tree = this.emu.state.drive(this.requireAccount(accountId));
    return this.write(() => storedEntry(createFolder(tree, this.requirePath(path), false)));
  }

  putFile(accountId: string, path: string, content: string | Uint8Array): StoredEntry {
    const tree = this.emu.state.drive(this.requireAccount(accountId));
    const bytes = Buffer.from(content);
    const keep = bytes.length <= this.emu.state.settings.storeContentUpToBytes;
    const file = this.write(() =>
      commitFile(tree, null, this.requirePath(path), {
        mode: { kind: "overwrite" },
        autorename: false,
        strictConflict: false,
        size: bytes.length,
        contentHash: contentHashOf(bytes),
        content: keep ? bytes : null,
        clientModified: this.emu.clock(),
      }),
    );
    return storedEntry(file);
  }

  listFiles(accountId: string): StoredEntry[] {
    return this.emu.state.drive(this.requireAccount(accountId)).all().map(storedEntry);
  }

  listUploadSessions(): UploadSessionInfo[] {
    return this.emu.state.uploads.list();
  }

  setQuota(accountId: string, bytes: number | null): void {
    this.emu.state.settings.quotaBytes.set(
      this.requireAccount(accountId),
      bytes === null ? null : byteCount(bytes, "bytes"),
    );
  }

  setUploadLimits(limits: UploadLimits): void {
    const settings = this.emu.state.settings;
    if (limits.maxRequestBytes !== undefined) {
      settings.maxRequestBytes = byteCount(limits.maxRequestBytes, "maxRequestBytes");
    }
    if (limits.storeContentUpToBytes !== undefined) {
      settings.storeContentUpToBytes = byteCount(limits.storeContentUpToBytes, "storeContentUpToBytes");
    }
  }

  listSharedLinks(accountId: string): SharedLinkInfo[] {
    const tree = this.emu.state.drive(this.requireAccount(accountId));
    return this.emu.state.links.list(accountId).map((link) => sharedLinkInfo(link, tree.getById(link.nodeId)));
  }

  createSharedLink(accountId: string, path: string, audience: LinkAudience = "public"): SharedLinkInfo {
    const tree = this.emu.state.drive(this.requireAccount(accountId));
    const node = tree.get(lowerPath(this.requirePath(path)));
    if (!node) throw new ControlError(`nothing at "${path}"`);
    if (!PERSONAL_AUDIENCES.includes(audience))
      throw new ControlError(`audience must be one of ${PERSONAL_AUDIENCES.join(", ")}`);
    if (this.emu.state.links.find(accountId, node.id)) throw new ControlError(`"${path}" already has a shared link`);
    return sharedLinkInfo(this.emu.state.links.create(accountId, node, { audience, access: "viewer" }), node);
  }

  private requireAccount(accountId: string): string {
    if (!this.emu.account(accountId)) throw new ControlError(`unknown account "${accountId}"`);
    return accountId;
  }

  private requirePath(path: string): string[] {
    const parts = typeof path === "string" ? parseSlashPath(path) : null;
    if (!parts) throw new ControlError(`"${String(path)}" is not an absolute Dropbox path like /folder/file.txt`);
    return parts;
  }

  private write<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof WriteFailure) throw new ControlError(`cannot write: ${error.tag}`);
      throw error;
    }
  }
}
