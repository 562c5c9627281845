import { NotFoundError } from "../../errors.ts";
import type { CertificateSpec } from "../../resources/certificate.ts";
import type { StoredObjectMeta } from "../object-meta.ts";
import type { CertificateEvent, IssuanceTriggerReason } from "./events.ts";

/** What CertificateIssued recorded, and the spec generation the certificate was issued for. */
export type IssuedCertificate = Extract<CertificateEvent, { type: "CertificateIssued" }>["data"] & {
  readonly generation: number;
};

export interface IssuanceInProgress {
  readonly revision: number;
  readonly requestName: string;
  readonly reason: IssuanceTriggerReason;
  readonly message: string;
  readonly generation: number;
  readonly since: string;
}

export interface IssuanceFailure {
  readonly revision: number;
  readonly requestName: string;
  readonly reason: string;
  readonly message: string;
  readonly attempts: number;
  readonly lastFailureTime: string;
  /** From IssuanceRetryScheduled: when the backoff lets the next attempt start. */
  readonly nextAttemptTime?: string;
}

/**
 * Where the certificate's issuance stands. A retry is issuing and still carries the failure before
 * it: its `attempts` grows the backoff and the status keeps reporting it until the retry ends.
 */
export type IssuancePhase =
  | { readonly kind: "idle" }
  | {
      readonly kind: "issuing";
      readonly attempt: IssuanceInProgress;
      readonly previousFailure?: IssuanceFailure;
    }
  /** Waiting for the backoff to allow the next attempt. */
  | { readonly kind: "failed"; readonly failure: IssuanceFailure };

/** The failure the backoff and the status count from: the one waited on, or the one being retried. */
export function latestFailure(phase: IssuancePhase): IssuanceFailure | undefined {
  if (phase.kind === "failed") return phase.failure;
  return phase.kind === "issuing" ? phase.previousFailure : undefined;
}

export interface ScheduledRenewal {
  readonly revision: number;
  readonly renewalTime?: string;
  readonly windowError?: string;
}

/** One line of `certctl history`: every issuance attempt and how it ended. */
export interface RevisionRecord {
  readonly requestName: string;
  readonly revision: number;
  readonly trigger: IssuanceTriggerReason;
  readonly triggerMessage: string;
  readonly triggeredAt: string;
  readonly outcome: "pending" | "issued" | "failed";
  readonly serialNumber?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly failureMessage?: string;
}

export type CertificateState =
  | { readonly status: "absent"; readonly requestCount: number; readonly history: readonly RevisionRecord[] }
  | {
      readonly status: "deleted";
      readonly meta: StoredObjectMeta;
      readonly spec: CertificateSpec;
      readonly deletedAt: string;
      readonly requestCount: number;
      readonly history: readonly RevisionRecord[];
    }
  | ActiveCertificate;

export interface ActiveCertificate {
  readonly status: "active";
  readonly meta: StoredObjectMeta;
  readonly spec: CertificateSpec;
  /** Issuance attempts so far, across the whole life of the stream; names the next request. */
  readonly requestCount: number;
  readonly issued?: IssuedCertificate;
  readonly phase: IssuancePhase;
  /** The scheduler's effective renewal time; applies while `revision` is the issued one. */
  readonly renewal?: ScheduledRenewal;
  readonly history: readonly RevisionRecord[];
}

export const initialCertificateState = (): CertificateState => ({
  status: "absent",
  requestCount: 0,
  history: [],
});

export function requireActive(state: CertificateState): ActiveCertificate {
  if (state.status !== "active") throw new NotFoundError("certificate not found");
  return state;
}
