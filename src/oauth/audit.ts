import type { Prisma, IntegrationEventType } from "../generated/prisma/client.js";
import type { ProviderId } from "./provider.js";

export interface AuditEvent {
  userId: string;
  provider: ProviderId | null;
  type: IntegrationEventType;
  /** Who caused it; null when the server acted on its own (e.g. a refresh). */
  actorId: string | null;
  outcome: "success" | "failure";
  /** Words for a person; never a token or other secret. */
  detail?: string | null;
}

/** Writes an audit event with the transaction that makes the change it describes. */
export function recordEvent(tx: Prisma.TransactionClient, event: AuditEvent) {
  return tx.integrationEvent.create({ data: { ...event, detail: event.detail ?? null } });
}
