import type { Readable } from "node:stream";
import type { Services } from "../context.js";
import type { DropboxExport } from "../generated/prisma/client.js";
import type { IntegrationLoader } from "../oauth/integration-loader.js";
import { NotConnectedError, ProviderUnavailableError, ReconnectRequiredError } from "../oauth/errors.js";
import { UserFacingError, ValidationError } from "../schema/errors.js";
import { configuredDropbox, DropboxApiError, type DropboxHttp } from "./api.js";
import { checkName, normalizeFolderPath } from "./paths.js";
import { publicShareLink } from "./sharing.js";
import { UploadInterruptedError } from "./chunk-reader.js";
import { UploadHashMismatchError, uploadStream } from "./upload.js";
import { DEFAULT_EXPORT_PATH } from "./provider.js";
import { REFRESH_WINDOW_MS } from "../oauth/token-refresher.js";

/** A file arriving in a multipart request, read as it streams in. */
export interface IncomingFile {
  name: string;
  type: string;
  /** The file's bytes; a client that goes away fails the stream with UploadInterruptedError. */
  stream(): Readable;
  /** Reads and discards whatever is left, so the request can complete. */
  discard(): void;
}

export type ConflictMode = "AUTORENAME" | "OVERWRITE";

/**
 * How often a long upload re-reads the integration to notice a token nearing expiry; doing it
 * before every 8 MiB chunk was a database read and a decryption per chunk. By the server's
 * clock, a token checked this recently is still far from expiry: the refresher renews tokens
 * within REFRESH_WINDOW_MS of it.
 */
const REVALIDATE_TOKEN_EVERY_MS = REFRESH_WINDOW_MS / 5;
/** bytesSent is written at most this often rather than per chunk; the progress subscription polls every 250 ms. */
const PROGRESS_EVERY_MS = 500;

/** An export that started and then failed; the FAILED record says why. */
export class DropboxExportFailedError extends UserFacingError {
  constructor(
    readonly code: string,
    message: string,
    readonly exportId: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Browsers may send a full client path ("C:\\fakepath\\round.pdf"): keep the base name, trim
 * it, and replace characters Dropbox refuses; what still breaks Dropbox's rules is refused.
 */
export function sanitizeFileName(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .trim()
    .replace(/[. ]+$/, "");
  const check = checkName(cleaned, "File name");
  return check.ok ? check : { ok: false, message: check.message };
}

export async function exportToDropbox(
  services: Services,
  loader: IntegrationLoader,
  userId: string,
  file: IncomingFile,
  options: { folder?: string | null; conflict: ConflictMode; shareLink?: boolean },
): Promise<DropboxExport> {
  try {
    const dropbox = configuredDropbox(services);
    const name = sanitizeFileName(file.name);
    if (!name.ok) throw new ValidationError("file", name.message);
    let folder = "";
    if (options.folder) {
      const check = normalizeFolderPath(options.folder, "Folder");
      if (!check.ok) throw new ValidationError("folder", check.message);
      folder = check.value;
    }
    const integration = await loader.integration(userId, "DROPBOX");
    if (integration?.status === "RECONNECT_REQUIRED") throw new ReconnectRequiredError("DROPBOX");
    if (!integration || integration.status !== "CONNECTED") throw new NotConnectedError("DROPBOX");
    const user = await services.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { dropboxExportPath: true } });
    const targetPath = `${user.dropboxExportPath ?? DEFAULT_EXPORT_PATH}${folder}/${name.value}`;
    const record = await services.prisma.dropboxExport.create({
      data: { userId, fileName: name.value, targetPath, status: "UPLOADING" },
    });
    const upload = { conflict: options.conflict, shareLink: options.shareLink ?? false };
    return await runUpload(services, loader, userId, file, record, upload, dropbox);
  } finally {
    // Whatever happened, let the rest of the request body flow so the response can be sent.
    file.discard();
  }
}

async function runUpload(
  services: Services,
  loader: IntegrationLoader,
  userId: string,
  file: IncomingFile,
  record: DropboxExport,
  { conflict, shareLink }: { conflict: ConflictMode; shareLink: boolean },
  dropbox: ReturnType<typeof configuredDropbox>,
): Promise<DropboxExport> {
  const { prisma, logger } = services;
  let validatedAt = -Infinity;
  let reportedAt = -Infinity;
  try {
    const uploaded = await uploadStream(
      file.stream(),
      { path: record.targetPath, mode: conflict === "OVERWRITE" ? "overwrite" : "add", autorename: conflict === "AUTORENAME" },
      {
        http: dropbox.http,
        withToken: (call) => {
          const now = services.now().getTime();
          const revalidate = now - validatedAt >= REVALIDATE_TOKEN_EVERY_MS;
          if (revalidate) validatedAt = now;
          return loader.withAccessToken(userId, "DROPBOX", call, { revalidate });
        },
        chunkBytes: dropbox.config.uploadChunkBytes,
        onProgress: async (bytesSent) => {
          const now = performance.now();
          if (now - reportedAt < PROGRESS_EVERY_MS) return;
          reportedAt = now;
          await prisma.dropboxExport.update({ where: { id: record.id }, data: { bytesSent: BigInt(bytesSent) } });
        },
      },
    );
    // Before the record turns COMPLETED, so whoever watches it sees the link with the completion.
    const share = shareLink ? await shareLinkOrNote(services, loader, userId, record.id, uploaded.path, dropbox.http) : null;
    const done = await prisma.dropboxExport.update({
      where: { id: record.id },
      data: {
        status: "COMPLETED",
        finalPath: uploaded.path,
        contentHash: uploaded.contentHash,
        bytesSent: BigInt(uploaded.size),
        totalBytes: BigInt(uploaded.size),
        completedAt: services.now(),
        ...share,
      },
    });
    logger.info({ exportId: record.id, bytes: uploaded.size }, "export to Dropbox completed");
    return done;
  } catch (error) {
    const failure = describeFailure(error);
    await prisma.dropboxExport.update({
      where: { id: record.id },
      data: { status: "FAILED", errorCode: failure.code, errorMessage: failure.message },
    });
    logger.warn({ exportId: record.id, code: failure.code }, "export to Dropbox failed");
    throw new DropboxExportFailedError(failure.code, failure.message, record.id, failure.retryable);
  }
}

/**
 * The file is in Dropbox whatever happens here: a link that cannot be made leaves the export
 * COMPLETED, without shareUrl and with a note saying so.
 */
async function shareLinkOrNote(
  services: Services,
  loader: IntegrationLoader,
  userId: string,
  exportId: string,
  path: string,
  http: DropboxHttp,
): Promise<{ shareUrl: string | null; errorMessage: string | null }> {
  try {
    return { shareUrl: await publicShareLink(http, loader, userId, path), errorMessage: null };
  } catch (error) {
    // Messages here come from dropboxRpc and the token loader: Dropbox's error summaries, no tokens.
    services.logger.warn({ exportId, reason: error instanceof Error ? error.message : String(error) }, "export to Dropbox: share link not created");
    // Connected before share links existed: the token lacks sharing.write until the user reconnects.
    const missingScope = error instanceof DropboxApiError && error.tag === "missing_scope";
    return {
      shareUrl: null,
      errorMessage: missingScope
        ? "Uploaded, but the share link could not be created: reconnect Dropbox to allow share links"
        : "Uploaded, but the share link could not be created",
    };
  }
}

function describeFailure(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error instanceof DropboxApiError) {
    const s = error.summary;
    if (s.includes("insufficient_space")) {
      return { code: "INSUFFICIENT_SPACE", message: "Your Dropbox is full: free some space and export again", retryable: false };
    }
    if (s.includes("disallowed_name")) {
      return { code: "DISALLOWED_NAME", message: "Dropbox does not allow this file or folder name", retryable: false };
    }
    if (s.includes("conflict")) {
      return { code: "PATH_CONFLICT", message: "Something else already exists at that path in Dropbox (e.g. a folder with the file's name)", retryable: false };
    }
    if (s.includes("malformed_path")) return { code: "INVALID_PATH", message: "Dropbox refused the export path", retryable: false };
    if (error.status === 429) return { code: "RATE_LIMITED", message: "Dropbox is rate limiting uploads; try again later", retryable: true };
    return { code: "DROPBOX_ERROR", message: `Dropbox refused the upload (${s.split("/")[0]})`, retryable: false };
  }
  if (error instanceof ReconnectRequiredError) return { code: "RECONNECT_REQUIRED", message: error.message, retryable: false };
  if (error instanceof ProviderUnavailableError) return { code: "PROVIDER_UNAVAILABLE", message: error.message, retryable: true };
  if (error instanceof UploadHashMismatchError) return { code: "HASH_MISMATCH", message: error.message, retryable: true };
  if (error instanceof UploadInterruptedError) {
    return { code: "INTERRUPTED", message: "The upload was interrupted before the file was complete; nothing was saved", retryable: true };
  }
  return { code: "INTERNAL", message: "The export failed unexpectedly", retryable: true };
}
