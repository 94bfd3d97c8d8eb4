import { builder, UserErrorInterface } from "./builder.js";
import { UserType } from "./user.js";
import { ValidationError } from "./errors.js";
import { parseArg } from "./validation.js";
import { z } from "zod";
import { normalizeFolderPath } from "../dropbox/paths.js";
import { configuredDropbox } from "../dropbox/api.js";
import { DropboxPathNotFoundError, listFolders } from "../dropbox/folders.js";
import {
  NotConnectedError,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
  ReconnectRequiredError,
} from "../oauth/errors.js";

builder.objectField(UserType, "dropboxExportPath", (t) =>
  t.exposeString("dropboxExportPath", {
    nullable: true,
    description: "Dropbox folder that exports go to; set to /QuizzicalBeats on first connect, kept on disconnect",
  }),
);

builder.mutationField("setDropboxExportPath", (t) =>
  t.prismaField({
    type: "User",
    authScopes: { signedIn: true },
    errors: { types: [ValidationError] },
    args: { path: t.arg.string({ required: true, description: "e.g. /QuizzicalBeats/2026" }) },
    resolve: async (query, _root, args, ctx) => {
      const check = normalizeFolderPath(args.path, "Export path");
      if (!check.ok) throw new ValidationError("path", check.message);
      return ctx.prisma.user.update({ ...query, where: { id: ctx.viewer!.id }, data: { dropboxExportPath: check.value } });
    },
  }),
);

builder.objectType(DropboxPathNotFoundError, {
  name: "DropboxPathNotFoundError",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof DropboxPathNotFoundError,
  fields: (t) => ({ path: t.exposeString("path") }),
});

export const DropboxFolder = builder.objectRef<{ id: string; name: string; path: string }>("DropboxFolder").implement({
  fields: (t) => ({
    id: t.exposeString("id"),
    name: t.exposeString("name"),
    path: t.exposeString("path", { description: "Display path, usable as an export path" }),
  }),
});

const DropboxFolderPage = builder
  .objectRef<{ folders: { id: string; name: string; path: string }[]; cursor: string; hasMore: boolean }>("DropboxFolderPage")
  .implement({
    fields: (t) => ({
      folders: t.field({ type: [DropboxFolder], resolve: (p) => p.folders }),
      cursor: t.exposeString("cursor", { description: "Pass back to get the next page" }),
      hasMore: t.exposeBoolean("hasMore"),
    }),
  });

builder.queryField("dropboxFolders", (t) =>
  t.field({
    type: DropboxFolderPage,
    authScopes: { signedIn: true },
    description: "Folders directly under a Dropbox path (root when omitted), for choosing the export path",
    errors: {
      types: [
        ValidationError,
        ProviderNotConfiguredError,
        NotConnectedError,
        ReconnectRequiredError,
        ProviderUnavailableError,
        DropboxPathNotFoundError,
      ],
    },
    args: {
      path: t.arg.string({ required: false }),
      cursor: t.arg.string({ required: false, description: "From the previous page; path is ignored when given" }),
      first: t.arg.int({ required: false, description: "Page size, 1 to 2000" }),
    },
    resolve: async (_root, args, ctx) => {
      const { http } = configuredDropbox(ctx.services);
      if (args.cursor) {
        const cursor = parseArg("cursor", z.string().max(4096, "cursor is not valid"), args.cursor);
        return listFolders(http, ctx.integrations, ctx.viewer!.id, { cursor });
      }
      const limit =
        args.first === null || args.first === undefined
          ? undefined
          : parseArg("first", z.number().int().min(1, "first must be between 1 and 2000").max(2000, "first must be between 1 and 2000"), args.first);
      let path = "";
      if (args.path && args.path !== "/") {
        const check = normalizeFolderPath(args.path);
        if (!check.ok) throw new ValidationError("path", check.message);
        path = check.value;
      }
      return listFolders(http, ctx.integrations, ctx.viewer!.id, { path, limit });
    },
  }),
);
