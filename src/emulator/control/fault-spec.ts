import { isFaultKind, type FaultKind, type FaultSpec, type PendingFault } from "../faults.js";
import { ControlError } from "./control-error.js";

export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ControlError(`${what} must be a positive integer`);
  return value;
}

/**
 * Validates a fault a test wants to queue. `allowedKinds` is what the endpoint key supports,
 * undefined for an unknown key.
 */
export function pendingFault(spec: FaultSpec, allowedKinds: readonly FaultKind[] | undefined): PendingFault {
  if (!allowedKinds) throw new ControlError(`unknown endpoint key "${spec.endpoint}"`);
  if (!isFaultKind(spec.kind) || !allowedKinds.includes(spec.kind)) {
    throw new ControlError(`fault kind "${String(spec.kind)}" does not apply to "${spec.endpoint}"`);
  }
  return {
    endpoint: spec.endpoint,
    kind: spec.kind,
    remaining: positiveInteger(spec.times ?? 1, "times"),
    retryAfterSeconds: positiveInteger(spec.retryAfterSeconds ?? 1, "retryAfterSeconds"),
  };
}
