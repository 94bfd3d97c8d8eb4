import type { CallCounter } from "./call-counter.js";

/** Failures a test can queue for the next request(s) to an endpoint. */
export const FAULT_KINDS = [
  "http500",
  "timeout",
  "malformed",
  "invalid_grant",
  "unauthorized",
  "rate_limited",
  "reset",
  "lost_response",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which kind of endpoint a key names: it decides which faults apply and how they are rendered. */
export type EndpointFamily = "authorize" | "token" | "api";

export interface FaultSpec {
  endpoint: string;
  kind: FaultKind;
  /** How many consecutive requests fail this way (default 1). */
  times?: number;
  /** Retry-After for rate_limited (default 1). */
  retryAfterSeconds?: number;
}

export interface PendingFault {
  endpoint: string;
  kind: FaultKind;
  remaining: number;
  retryAfterSeconds: number;
}

export interface Fault {
  kind: FaultKind;
  retryAfterSeconds: number;
}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === "string" && (FAULT_KINDS as readonly string[]).includes(value);
}

/**
 * A provider's `allowedFaultKinds`: the kinds of the key's family, undefined for an unknown key.
 * Endpoint keys map to families, families to the fault kinds that make sense there.
 */
export function faultKindsByKey(
  familyByKey: Readonly<Record<string, EndpointFamily>>,
  kindsByFamily: Readonly<Record<EndpointFamily, readonly FaultKind[]>>,
): (key: string) => readonly FaultKind[] | undefined {
  return (key) => {
    const family = Object.hasOwn(familyByKey, key) ? familyByKey[key] : undefined;
    return family === undefined ? undefined : kindsByFamily[family];
  };
}

/** Per-endpoint FIFO of injected faults; validation of endpoint names is the caller's job. */
export class FaultInjector {
  private readonly queues = new Map<string, PendingFault[]>();

  add(fault: PendingFault): void {
    const queue = this.queues.get(fault.endpoint) ?? [];
    queue.push({ ...fault });
    this.queues.set(fault.endpoint, queue);
  }

  /** Consumes one fault from the first key that has any, so specific keys can shadow generic ones. */
  take(keys: readonly string[]): Fault | null {
    for (const key of keys) {
      const queue = this.queues.get(key);
      const head = queue?.[0];
      if (!queue || !head) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return { kind: head.kind, retryAfterSeconds: head.retryAfterSeconds };
    }
    return null;
  }

  list(): PendingFault[] {
    return [...this.queues.values()].flat().map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.queues.clear();
  }
}

/**
 * A request is counted under each of its `keys` even when a fault answers it; returns the fault
 * queued for the first key that has one, if any.
 */
export function countAndTakeFault(state: { calls: CallCounter; faults: FaultInjector }, ...keys: string[]): Fault | null {
  for (const key of keys) state.calls.record(key);
  return state.faults.take(keys);
}
