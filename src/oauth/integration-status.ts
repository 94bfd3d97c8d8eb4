import type { Integration, Prisma } from "../generated/prisma/client.js";
import { REFRESH_WINDOW_MS } from "./token-refresher.js";

/**
 * The status users and admins see. Defined once in two forms, for a loaded row and as a
 * database filter (the admin's user list filters on it while paging), so they cannot drift:
 * a connected token counts as EXPIRING from REFRESH_WINDOW_MS before its expiry, when the
 * refresher starts renewing it, or when its expiry is unknown.
 */
export type IntegrationStatus = "NOT_CONNECTED" | "CONNECTED" | "EXPIRING" | "RECONNECT_REQUIRED";

type StatusFields = Pick<Integration, "status" | "accessTokenExpiresAt">;

const expiringBefore = (now: Date) => new Date(now.getTime() + REFRESH_WINDOW_MS);

export function integrationStatus(row: StatusFields | null, now: Date): IntegrationStatus {
  if (!row || row.status === "DISCONNECTED") return "NOT_CONNECTED";
  if (row.status === "RECONNECT_REQUIRED") return "RECONNECT_REQUIRED";
  const expiresAt = row.accessTokenExpiresAt;
  return expiresAt === null || expiresAt <= expiringBefore(now) ? "EXPIRING" : "CONNECTED";
}

/** The integration rows with `status`; NOT_CONNECTED is the absence of any of them. */
export function integrationStatusWhere(
  status: Exclude<IntegrationStatus, "NOT_CONNECTED">,
  now: Date,
): Prisma.IntegrationWhereInput {
  const soon = expiringBefore(now);
  switch (status) {
    case "CONNECTED":
      return { status: "CONNECTED", accessTokenExpiresAt: { gt: soon } };
    case "EXPIRING":
      return { status: "CONNECTED", OR: [{ accessTokenExpiresAt: null }, { accessTokenExpiresAt: { lte: soon } }] };
    case "RECONNECT_REQUIRED":
      return { status: "RECONNECT_REQUIRED" };
  }
}
