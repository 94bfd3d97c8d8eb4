import type { Integration, Prisma } from "../generated/prisma/client.js";
import { refreshDeadline, refreshDue } from "./token-refresher.js";

/**
 * The status users and admins see. Defined once in two forms, for a loaded row and as a
 * database filter (the admin's user list filters on it while paging), so they cannot drift:
 * a connected token counts as EXPIRING once the refresher would renew it before use (close to
 * its expiry, or its expiry unknown).
 */
export type IntegrationStatus = "NOT_CONNECTED" | "CONNECTED" | "EXPIRING" | "RECONNECT_REQUIRED";

type StatusFields = Pick<Integration, "status" | "accessTokenExpiresAt">;

export function integrationStatus(row: StatusFields | null, now: Date): IntegrationStatus {
  if (!row || row.status === "DISCONNECTED") return "NOT_CONNECTED";
  if (row.status === "RECONNECT_REQUIRED") return "RECONNECT_REQUIRED";
  return refreshDue(row.accessTokenExpiresAt, now) ? "EXPIRING" : "CONNECTED";
}

/**
 * A user's integrations (those matching `scope`, e.g. one provider) as filtered for `status`:
 * one with that status, or for NOT_CONNECTED none that is connected or awaiting reconnection.
 */
export function integrationsWithStatus(
  status: IntegrationStatus,
  now: Date,
  scope: Prisma.IntegrationWhereInput = {},
): Prisma.IntegrationListRelationFilter {
  const deadline = refreshDeadline(now);
  switch (status) {
    case "NOT_CONNECTED":
      return { none: { ...scope, status: { in: ["CONNECTED", "RECONNECT_REQUIRED"] } } };
    case "CONNECTED":
      return { some: { ...scope, status: "CONNECTED", accessTokenExpiresAt: { gt: deadline } } };
    case "EXPIRING":
      return { some: { ...scope, status: "CONNECTED", OR: [{ accessTokenExpiresAt: null }, { accessTokenExpiresAt: { lte: deadline } }] } };
    case "RECONNECT_REQUIRED":
      return { some: { ...scope, status: "RECONNECT_REQUIRED" } };
  }
}
