import { GraphQLError } from "graphql";
import { z } from "zod";
import { builder, UserErrorInterface } from "./builder.js";
import { UserFacingError, ValidationError } from "./errors.js";
import { parseArg } from "./validation.js";
import { rowConnection, rowPageArgs, type Types } from "./connections.js";
import type { ObjectRef } from "@pothos/core";
import { RoleEnum, UserType } from "./user.js";
import { ConnectStart, DisconnectPayload, IntegrationType, ProviderEnum, StatusEnum } from "./integrations.js";
import type { Prisma, IntegrationEvent } from "../generated/prisma/client.js";
import { PROVIDER_IDS } from "../oauth/provider.js";
import { integrationsWithStatus } from "../oauth/integration-status.js";
import { disconnectIntegration } from "../oauth/disconnect.js";
import { startConnect } from "../oauth/connect.js";
import { ensureSystemUserId, findSystemUserId, SYSTEM_USER_EMAIL } from "../oauth/system-account.js";
import { recordEvent } from "../oauth/audit.js";
import { ProviderNotConfiguredError } from "../oauth/errors.js";

export class LastAdminError extends UserFacingError {
  readonly code = "LAST_ADMIN";
  constructor() {
    super("This is the last administrator: promote someone else before changing this role");
  }
}

builder.objectType(LastAdminError, {
  name: "LastAdminError",
  interfaces: [UserErrorInterface],
  isTypeOf: (v) => v instanceof LastAdminError,
});

const userIdSchema = z.uuid("userId must be a user id");

const UserFilter = builder.inputType("UserFilter", {
  fields: (t) => ({
    email: t.string({ required: false, description: "Part of the email, any case" }),
    integrationStatus: t.field({ type: StatusEnum, required: false }),
    provider: t.field({ type: ProviderEnum, required: false, description: "With integrationStatus: that provider only" }),
  }),
});

type UserRow = Prisma.UserGetPayload<{ include: { integrations: true } }>;

const UserConnection = rowConnection("User", UserType as unknown as ObjectRef<Types, UserRow>);

builder.queryField("users", (t) =>
  t.field({
    type: UserConnection,
    authScopes: { admin: true },
    description: "Users with their integrations, oldest first (administrators only)",
    args: {
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
      filter: t.arg({ type: UserFilter, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const { toPage, ...page } = rowPageArgs(args, { first: 50, max: 1000 });
      const filter = args.filter ?? {};
      const email = filter.email ? parseArg("email", z.string().max(254, "email filter must be at most 254 characters"), filter.email) : null;
      const where: Prisma.UserWhereInput = {
        AND: [
          { email: { not: SYSTEM_USER_EMAIL } },
          ...(email ? [{ email: { contains: email.toLowerCase() } }] : []),
          ...(filter.integrationStatus
            ? [{ integrations: integrationsWithStatus(filter.integrationStatus, ctx.services.now(), filter.provider ? { provider: filter.provider } : {}) }]
            : []),
          ...(!filter.integrationStatus && filter.provider ? [{ integrations: { some: { provider: filter.provider } } }] : []),
        ],
      };
      // One query for the page and one for its integrations, whatever the page size.
      const result = toPage(
        await ctx.prisma.user.findMany({ where, include: { integrations: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...page }),
      );
      for (const user of result.rows) {
        for (const provider of PROVIDER_IDS) {
          ctx.integrations.prime(user.id, provider, user.integrations.find((i) => i.provider === provider) ?? null);
        }
      }
      return result;
    },
  }),
);

async function requireUser(ctx: { prisma: import("../db/database.js").PrismaClient }, rawId: string) {
  const id = parseArg("userId", userIdSchema, rawId);
  const user = await ctx.prisma.user.findUnique({ where: { id } });
  if (!user || user.email === SYSTEM_USER_EMAIL) throw new ValidationError("userId", "No user with this id");
  return user;
}

builder.mutationFields((t) => ({
  adminDisconnectIntegration: t.field({
    type: DisconnectPayload,
    authScopes: { admin: true },
    description: "Disconnects a user's integration as they could themselves (recorded with the admin as actor)",
    errors: { types: [ValidationError] },
    args: { userId: t.arg.id({ required: true }), provider: t.arg({ type: ProviderEnum, required: true }) },
    resolve: async (_root, args, ctx) => {
      const user = await requireUser(ctx, String(args.userId));
      const outcome = await disconnectIntegration(ctx.services, ctx.integrations, user.id, args.provider, ctx.viewer!.id);
      const row = await ctx.integrations.integration(user.id, args.provider);
      return { integration: { provider: args.provider, row }, revoked: outcome.revoked, message: outcome.message };
    },
  }),

  setUserRole: t.prismaField({
    type: "User",
    authScopes: { admin: true },
    errors: { types: [ValidationError, LastAdminError] },
    args: { userId: t.arg.id({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const user = await requireUser(ctx, String(args.userId));
      return ctx.prisma.$transaction(async (tx) => {
        // Serializes role changes, so two admins demoting each other cannot leave none.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(7270737001)`;
        if (user.role === "ADMIN" && args.role !== "ADMIN") {
          const admins = await tx.user.count({ where: { role: "ADMIN" } });
          if (admins <= 1) throw new LastAdminError();
        }
        const updated = await tx.user.update({ ...query, where: { id: user.id }, data: { role: args.role } });
        if (user.role !== args.role) {
          await recordEvent(tx, {
            userId: user.id,
            provider: null,
            type: "ROLE_CHANGED",
            actorId: ctx.viewer!.id,
            outcome: "success",
            detail: `Role changed from ${user.role} to ${args.role}`,
          });
        }
        return updated;
      });
    },
  }),

  startSystemSpotifyConnect: t.field({
    type: ConnectStart,
    authScopes: { admin: true },
    description: "Connects the service's own Spotify account (the middle step of the catalog fallback chain)",
    errors: { types: [ValidationError, ProviderNotConfiguredError] },
    args: { returnTo: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const systemUserId = await ensureSystemUserId(ctx.prisma);
      return startConnect(ctx.services, ctx.viewer!.id, "SPOTIFY", args.returnTo, systemUserId);
    },
  }),

  disconnectSystemSpotify: t.field({
    type: DisconnectPayload,
    authScopes: { admin: true },
    resolve: async (_root, _args, ctx) => {
      const systemUserId = await ensureSystemUserId(ctx.prisma);
      const outcome = await disconnectIntegration(ctx.services, ctx.integrations, systemUserId, "SPOTIFY", ctx.viewer!.id);
      const row = await ctx.integrations.integration(systemUserId, "SPOTIFY");
      return { integration: { provider: "SPOTIFY" as const, row }, revoked: outcome.revoked, message: outcome.message };
    },
  }),
}));

builder.queryField("systemIntegrations", (t) =>
  t.field({
    type: [IntegrationType],
    authScopes: { admin: true },
    description: "The service's own accounts (today: the system Spotify account)",
    resolve: async (_root, _args, ctx) => {
      const systemUserId = await findSystemUserId(ctx.prisma);
      const row = systemUserId ? await ctx.integrations.integration(systemUserId, "SPOTIFY") : null;
      return [{ provider: "SPOTIFY" as const, row }];
    },
  }),
);

const EventTypeEnum = builder.enumType("IntegrationEventType", {
  values: ["CONNECTED", "REFRESHED", "REFRESH_FAILED", "RECONNECT_REQUIRED", "DISCONNECTED", "REVOCATION_FAILED", "ROLE_CHANGED"] as const,
});

const IntegrationEventType = builder.objectRef<IntegrationEvent>("IntegrationEvent").implement({
  description: "An audit record of a change to a user's integrations or role",
  fields: (t) => ({
    id: t.exposeID("id"),
    provider: t.field({ type: ProviderEnum, nullable: true, resolve: (e) => e.provider }),
    type: t.field({ type: EventTypeEnum, resolve: (e) => e.type }),
    actorId: t.exposeID("actorId", { nullable: true, description: "Who caused it; null when the server acted on its own" }),
    byAdmin: t.boolean({ resolve: (e) => e.actorId !== null && e.actorId !== e.userId }),
    outcome: t.exposeString("outcome"),
    detail: t.exposeString("detail", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});
const EventConnection = rowConnection("IntegrationEvent", IntegrationEventType);

builder.objectField(UserType, "integrationEvents", (t) =>
  t.field({
    type: EventConnection,
    description: "Audit trail, newest first (the user and administrators)",
    args: { first: t.arg.int({ required: false, defaultValue: 20 }), after: t.arg.string({ required: false }) },
    resolve: async (user, args, ctx) => {
      if (ctx.viewer?.id !== user.id && ctx.viewer?.role !== "ADMIN") {
        throw new GraphQLError("Not authorized", { extensions: { code: "FORBIDDEN" } });
      }
      const { toPage, ...page } = rowPageArgs(args, { first: 20, max: 100 });
      return toPage(
        await ctx.prisma.integrationEvent.findMany({ where: { userId: user.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...page }),
      );
    },
  }),
);
