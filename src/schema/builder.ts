import SchemaBuilder from "@pothos/core";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import { GraphQLError } from "graphql";
import type PrismaTypes from "../generated/pothos-types.js";
import { getDatamodel } from "../generated/pothos-types.js";
import type { GraphQLContext } from "../context.js";
import { UserFacingError, ValidationError } from "./errors.js";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { signedIn: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    File: { Input: import("../dropbox/exports.js").IncomingFile; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({
      signedIn: context.viewer !== null,
      admin: context.viewer?.role === "ADMIN",
    }),
    // A GraphQLError passes Yoga's error masking, so the client sees why it was refused.
    unauthorizedError: (_parent, context) =>
      context.viewer
        ? new GraphQLError("Not authorized: this requires an administrator", {
            extensions: { code: "FORBIDDEN" },
          })
        : new GraphQLError("Not signed in: sign in and send the session cookie or a Bearer token", {
            extensions: { code: "UNAUTHENTICATED" },
          }),
  },
  errors: {
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
});

builder.scalarType("DateTime", {
  description: "An instant, as an ISO 8601 string in UTC",
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 string");
    return date;
  },
});

export const UserErrorInterface = builder.interfaceRef<UserFacingError>("UserError").implement({
  description: "An expected failure with a message meant for the user",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code", { description: "Stable machine-readable reason" }),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "An argument was rejected; nothing was changed",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    field: t.exposeString("field", { description: "The argument that was rejected" }),
  }),
});

builder.queryType({});
builder.mutationType({});
