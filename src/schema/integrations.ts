import { builder, UserErrorInterface } from "./builder.js";
import { UserType } from "./user.js";
import { ValidationError } from "./errors.js";
import type { Integration } from "../generated/prisma/client.js";
import { PROVIDER_IDS, type ProviderId } from "../oauth/provider.js";
import { integrationStatus } from "../oauth/integration-status.js";
import {
  NotConnectedError,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
  ReconnectRequiredError,
} from "../oauth/errors.js";
import { startConnect } from "../oauth/connect.js";
import { disconnectIntegration } from "../oauth/disconnect.js";
import type { GraphQLContext } from "../context.js";

export const ProviderEnum = builder.enumType("IntegrationProvider", { values: PROVIDER_IDS });

export const StatusEnum = builder.enumType("IntegrationStatus", {
  values: {
    NOT_CONNECTED: { description: "Never connected, or disconnected" },
    CONNECTED: { description: "Connected, access token fresh" },
    EXPIRING: { description: "Connected; the access token has expired or is about to, and is refreshed on next use" },
    RECONNECT_REQUIRED: { description: "The provider refused the saved authorization: the user must connect again" },
  } as const,
});

/** What the Integration type is built from: never more than the row's safe columns are exposed. */
export interface IntegrationView {
  provider: ProviderId;
  row: Integration | null;
}

const connected = (view: IntegrationView) => (view.row && view.row.status !== "DISCONNECTED" ? view.row : null);

export const IntegrationType = builder.objectRef<IntegrationView>("Integration").implement({
  description: "A user's link to a provider. Tokens are never exposed.",
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (v) => v.provider }),
    status: t.field({ type: StatusEnum, resolve: (v, _a, ctx) => integrationStatus(v.row, ctx.services.now()) }),
    accountId: t.string({ nullable: true, resolve: (v) => connected(v)?.accountId ?? null }),
    accountName: t.string({ nullable: true, resolve: (v) => connected(v)?.accountName ?? null }),
    connectedAt: t.field({ type: "DateTime", nullable: true, resolve: (v) => connected(v)?.connectedAt ?? null }),
    accessTokenExpiresAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (v) => connected(v)?.accessTokenExpiresAt ?? null,
    }),
    scopes: t.stringList({ resolve: (v) => connected(v)?.scopes ?? [] }),
    lastRefreshedAt: t.field({ type: "DateTime", nullable: true, resolve: (v) => connected(v)?.lastRefreshedAt ?? null }),
    lastError: t.string({
      nullable: true,
      description: "Why the last refresh, revocation or call failed, in words meant for the user",
      resolve: (v) => v.row?.lastError ?? null,
    }),
  }),
});

for (const [ErrorClass, name, description] of [
  [ProviderNotConfiguredError, "ProviderNotConfiguredError", "The provider is not configured on this server"],
  [NotConnectedError, "NotConnectedError", "The provider is not connected for this user"],
  [ReconnectRequiredError, "ReconnectRequiredError", "The provider refused the saved authorization; connect again"],
] as const) {
  builder.objectType(ErrorClass, {
    name,
    description,
    interfaces: [UserErrorInterface],
    isTypeOf: (value) => value instanceof ErrorClass,
    fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }) }),
  });
}

builder.objectType(ProviderUnavailableError, {
  name: "ProviderUnavailableError",
  description: "The provider could not be reached or failed; nothing was lost, retry later",
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof ProviderUnavailableError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    retryAfterSeconds: t.int({ nullable: true, resolve: (e) => e.retryAfterSeconds }),
  }),
});

builder.objectField(UserType, "integrations", (t) =>
  t.field({
    type: [IntegrationType],
    description: "One entry per supported provider, connected or not",
    resolve: async (user, _args, ctx) =>
      Promise.all(PROVIDER_IDS.map(async (provider) => ({ provider, row: await ctx.integrations.integration(user.id, provider) }))),
  }),
);

export const ConnectStart = builder
  .objectRef<{ authorizationUrl: string; expiresAt: Date }>("ConnectStart")
  .implement({
    description: "Send the browser to authorizationUrl; the provider redirects back to this server's callback",
    fields: (t) => ({
      authorizationUrl: t.exposeString("authorizationUrl"),
      expiresAt: t.expose("expiresAt", { type: "DateTime", description: "The flow must finish before this" }),
    }),
  });

export const DisconnectPayload = builder
  .objectRef<{ integration: IntegrationView; revoked: boolean; message: string }>("DisconnectPayload")
  .implement({
    fields: (t) => ({
      integration: t.field({ type: IntegrationType, resolve: (p) => p.integration }),
      revoked: t.exposeBoolean("revoked", { description: "Whether the provider confirmed the access is revoked" }),
      message: t.exposeString("message"),
    }),
  });

/** Adds start<Provider>Connect and disconnect<Provider> for one provider. */
export function addConnectMutations(provider: ProviderId, label: string): void {
  builder.mutationField(`start${label}Connect`, (t) =>
    t.field({
      type: ConnectStart,
      authScopes: { signedIn: true },
      errors: { types: [ValidationError, ProviderNotConfiguredError] },
      args: {
        returnTo: t.arg.string({
          required: false,
          description: "Path or same-origin URL of the front end to return to (default /profile)",
        }),
      },
      resolve: (_root, args, ctx) => startConnect(ctx.services, ctx.viewer!.id, provider, args.returnTo),
    }),
  );
  builder.mutationField(`disconnect${label}`, (t) =>
    t.field({
      type: DisconnectPayload,
      authScopes: { signedIn: true },
      resolve: async (_root, _args, ctx: GraphQLContext) => {
        const outcome = await disconnectIntegration(ctx.services, ctx.integrations, ctx.viewer!.id, provider, ctx.viewer!.id);
        const row = await ctx.integrations.integration(ctx.viewer!.id, provider);
        return { integration: { provider, row }, revoked: outcome.revoked, message: outcome.message };
      },
    }),
  );
}

addConnectMutations("DROPBOX", "Dropbox");
