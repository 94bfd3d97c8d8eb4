import { GraphQLError } from "graphql";
import { z } from "zod";
import { builder, UserErrorInterface } from "./builder.js";
import { UserType } from "./user.js";
import { DropboxFolder } from "./dropbox.js";
import { ValidationError } from "./errors.js";
import { rowConnection, rowPageArgs } from "./connections.js";
import type { DropboxExport } from "../generated/prisma/client.js";
import { takeUpload } from "../http/upload-registry.js";
import { DropboxExportFailedError, exportToDropbox } from "../dropbox/exports.js";
import { createDropboxFolder, DropboxPathConflictError } from "../dropbox/folders.js";
import { normalizeFolderPath } from "../dropbox/paths.js";
import { configuredDropbox } from "../dropbox/api.js";
import { NotConnectedError, ProviderNotConfiguredError, ProviderUnavailableError, ReconnectRequiredError } from "../oauth/errors.js";

builder.scalarType("File", {
  description: "A file sent with the GraphQL multipart request spec (streamed, never buffered)",
  serialize: () => {
    throw new GraphQLError("File is an input-only scalar");
  },
  parseValue: (value) => {
    const file = takeUpload(value);
    if (!file) throw new GraphQLError("Send the file as a GraphQL multipart request (graphql-multipart-request-spec)");
    return file;
  },
});

const ExportStatusEnum = builder.enumType("DropboxExportStatus", {
  values: ["PENDING", "UPLOADING", "COMPLETED", "FAILED"] as const,
});
const ConflictEnum = builder.enumType("ExportConflictMode", {
  values: {
    AUTORENAME: { description: "Keep both: Dropbox renames the new file (\"round (1).pdf\")" },
    OVERWRITE: { description: "Replace the existing file" },
  } as const,
});

export const DropboxExportType = builder.objectRef<DropboxExport>("DropboxExport").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    status: t.field({ type: ExportStatusEnum, resolve: (e) => e.status }),
    fileName: t.exposeString("fileName"),
    targetPath: t.exposeString("targetPath", { description: "Where the file was asked to go" }),
    finalPath: t.exposeString("finalPath", { nullable: true, description: "Where Dropbox stored it (differs after autorename)" }),
    bytesSent: t.float({ resolve: (e) => Number(e.bytesSent) }),
    totalBytes: t.float({ nullable: true, resolve: (e) => (e.totalBytes === null ? null : Number(e.totalBytes)) }),
    contentHash: t.exposeString("contentHash", { nullable: true, description: "Dropbox content_hash, verified against the bytes sent" }),
    shareUrl: t.exposeString("shareUrl", {
      nullable: true,
      description: "Public view-only Dropbox link, when the export asked for one (shareLink) and it could be made",
    }),
    errorCode: t.exposeString("errorCode", { nullable: true }),
    errorMessage: t.exposeString("errorMessage", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectType(DropboxExportFailedError, {
  name: "DropboxExportFailedError",
  description: "The upload started and failed; the export record (status FAILED) says why",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof DropboxExportFailedError,
  fields: (t) => ({
    exportId: t.exposeID("exportId"),
    retryable: t.exposeBoolean("retryable"),
  }),
});

builder.objectType(DropboxPathConflictError, {
  name: "DropboxPathConflictError",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof DropboxPathConflictError,
  fields: (t) => ({ path: t.exposeString("path") }),
});

const providerErrors = [ProviderNotConfiguredError, NotConnectedError, ReconnectRequiredError, ProviderUnavailableError];

builder.mutationField("exportToDropbox", (t) =>
  t.field({
    type: DropboxExportType,
    authScopes: { signedIn: true },
    description: "Streams a file into <dropboxExportPath>/<folder>/<file name>",
    errors: { types: [ValidationError, DropboxExportFailedError, ...providerErrors] },
    args: {
      file: t.arg({ type: "File", required: true }),
      folder: t.arg.string({ required: false, description: "Sub-folder of the export path, e.g. 2026/December" }),
      conflict: t.arg({ type: ConflictEnum, required: false, defaultValue: "AUTORENAME" }),
      shareLink: t.arg.boolean({
        required: false,
        defaultValue: false,
        description:
          "Also create a public, view-only Dropbox link to the file (anyone with the link can open it). " +
          "If the link cannot be made the export still completes, without shareUrl and with a note in errorMessage",
      }),
    },
    resolve: (_root, args, ctx) =>
      exportToDropbox(ctx.services, ctx.integrations, ctx.viewer!.id, args.file, {
        folder: args.folder,
        conflict: args.conflict ?? "AUTORENAME",
        shareLink: args.shareLink ?? false,
      }),
  }),
);

builder.mutationField("createDropboxFolder", (t) =>
  t.field({
    type: DropboxFolder,
    authScopes: { signedIn: true },
    errors: { types: [ValidationError, DropboxPathConflictError, ...providerErrors] },
    args: { path: t.arg.string({ required: true, description: "Absolute Dropbox path, e.g. /QuizzicalBeats/2026" }) },
    resolve: async (_root, args, ctx) => {
      const { http } = configuredDropbox(ctx.services);
      const check = normalizeFolderPath(args.path);
      if (!check.ok) throw new ValidationError("path", check.message);
      return createDropboxFolder(http, ctx.integrations, ctx.viewer!.id, check.value);
    },
  }),
);

const ExportConnection = rowConnection("DropboxExport", DropboxExportType);

builder.objectField(UserType, "dropboxExports", (t) =>
  t.field({
    type: ExportConnection,
    description: "Exports, newest first",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (user, args, ctx) => {
      if (ctx.viewer?.id !== user.id && ctx.viewer?.role !== "ADMIN") throw new GraphQLError("Not authorized");
      const { toPage, ...page } = rowPageArgs(args, { first: 20, max: 100 });
      return toPage(
        await ctx.prisma.dropboxExport.findMany({
          where: { userId: user.id },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          ...page,
        }),
      );
    },
  }),
);

const TERMINAL = new Set(["COMPLETED", "FAILED"]);

builder.subscriptionType({});
builder.subscriptionField("exportProgress", (t) =>
  t.field({
    type: DropboxExportType,
    authScopes: { signedIn: true },
    description: "Progress of one export (server-sent events); ends when it completes or fails",
    args: { id: t.arg.id({ required: true }) },
    subscribe: async function* (_root, args, ctx) {
      const id = String(args.id);
      const owned = z.uuid().safeParse(id).success
        ? await ctx.prisma.dropboxExport.findFirst({ where: { id, userId: ctx.viewer!.id } })
        : null;
      if (!owned) throw new GraphQLError("No export with this id", { extensions: { code: "NOT_FOUND" } });
      // Polling the row (not an in-process event bus) works when the upload runs on another instance.
      let last = "";
      for (;;) {
        const row = await ctx.prisma.dropboxExport.findUnique({ where: { id } });
        if (!row) return;
        const fingerprint = `${row.status}:${row.bytesSent}`;
        if (fingerprint !== last) {
          last = fingerprint;
          yield row;
        }
        if (TERMINAL.has(row.status)) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    resolve: (row) => row,
  }),
);
