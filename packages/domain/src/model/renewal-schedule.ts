// The effective renewal time of an issued certificate: cert-manager's basic time (computed by
// @certplane/pki renewalTime from the issued notBefore/notAfter and renewBefore/percentage), then
// the spec's renewal policy, an optional deterministic jitter, and the renewal windows.
import type { RenewalWindowSpec } from "./renewal-windows.ts";
import { placeInRenewalWindows } from "./renewal-windows.ts";

export interface RenewalSpec {
  readonly policy?: "RenewBefore" | "Disabled";
  readonly windows?: readonly RenewalWindowSpec[];
}

export interface RenewalJitter {
  /** Upper bound of the delay added; 0 disables jitter. */
  readonly maxMs: number;
  /** Stable per certificate (its stream name), so every scheduler instance computes the same time. */
  readonly key: string;
}

export interface RenewalScheduleInput {
  readonly baseRenewalTime: Date;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly renewal?: RenewalSpec;
  readonly jitter?: RenewalJitter;
}

export type RenewalSchedule =
  | { readonly kind: "disabled" }
  | { readonly kind: "scheduled"; readonly renewalTime: Date; readonly windowError?: string };

/** FNV-1a: a cheap, stable hash; the spread only needs to be even, not secret. */
function fraction(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/** Never later than halfway to expiry, so jitter cannot eat the time left to renew. */
function jittered(base: Date, notAfter: Date, jitter: RenewalJitter | undefined): Date {
  if (!jitter || jitter.maxMs <= 0) return base;
  const room = Math.max(0, (notAfter.getTime() - base.getTime()) / 2);
  const delay = fraction(jitter.key) * Math.min(jitter.maxMs, room);
  return new Date(Math.floor((base.getTime() + delay) / 1000) * 1000);
}

export function renewalSchedule(input: RenewalScheduleInput): RenewalSchedule {
  if (input.renewal?.policy === "Disabled") return { kind: "disabled" };
  const desired = jittered(input.baseRenewalTime, input.notAfter, input.jitter);
  const windows = input.renewal?.windows ?? [];
  if (windows.length === 0) return { kind: "scheduled", renewalTime: desired };
  const placed = placeInRenewalWindows(desired, windows, input);
  // cert-manager renews at the desired time when no window fits and reports WindowError.
  return placed.ok
    ? { kind: "scheduled", renewalTime: placed.time }
    : { kind: "scheduled", renewalTime: desired, windowError: placed.message };
}
