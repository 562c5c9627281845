// Gather, then decide: for one certificate at `now`, what the scheduler should record, whether it
// should trigger a reissue now, and when to look again.
import type { CertificateSpec } from "@certplane/domain";
import { readGoDuration } from "@certplane/domain";
import type { RenewalSchedule, SecretFacts, TriggerVerdict } from "@certplane/domain/model";
import {
  changedIssuanceFields,
  firstReissueReason,
  nextAttemptTime,
  renewalSchedule,
} from "@certplane/domain/model";
import { renewalTime } from "@certplane/pki";
import type { RenewalSchedulerConfig } from "../config.ts";
import type { TrackedCertificate } from "./tracked-certificate.ts";

export interface RenewalPlan {
  /** The effective renewal of the issued revision, when it differs from what the stream records. */
  readonly recordRenewal?: {
    readonly revision: number;
    readonly renewalTime?: string;
    readonly windowError?: string;
  };
  /** The backoff's next attempt time, when it differs from what the stream records. */
  readonly recordRetry?: { readonly requestName: string; readonly at: string };
  /** Reissue now, for this reason. */
  readonly trigger?: TriggerVerdict;
  /** When to evaluate again; undefined waits for the next event. */
  readonly wakeAt?: number;
}

function optionalMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const reading = readGoDuration(text);
  return reading.ok ? reading.ms : undefined;
}

/** The one renewal-time decision: cert-manager's formula, then renewal policy, windows and jitter. */
export function renewalOf(
  issued: { readonly notBefore: string; readonly notAfter: string },
  spec: CertificateSpec,
  key: string,
  config: RenewalSchedulerConfig,
): RenewalSchedule {
  const notBefore = new Date(issued.notBefore);
  const notAfter = new Date(issued.notAfter);
  const renewBefore = optionalMs(spec.renewBefore);
  const percentage = spec.renewBeforePercentage;
  return renewalSchedule({
    baseRenewalTime: renewalTime({
      notBefore,
      notAfter,
      ...(renewBefore === undefined ? {} : { renewBefore }),
      ...(percentage === undefined ? {} : { renewBeforePercentage: percentage }),
    }),
    notBefore,
    notAfter,
    ...(spec.renewal ? { renewal: spec.renewal } : {}),
    jitter: { maxMs: config.jitterMaxMs, key },
  });
}

/** A schedule as the issuance record stores it. */
export function recordedRenewal(schedule: RenewalSchedule): { renewalTime?: string; windowError?: string } {
  if (schedule.kind !== "scheduled") return {};
  return {
    renewalTime: schedule.renewalTime.toISOString(),
    ...(schedule.windowError ? { windowError: schedule.windowError } : {}),
  };
}

export function scheduleFor(
  certificate: TrackedCertificate,
  key: string,
  config: RenewalSchedulerConfig,
): RenewalSchedule | undefined {
  return certificate.issued ? renewalOf(certificate.issued, certificate.spec, key, config) : undefined;
}

function renewalToRecord(
  certificate: TrackedCertificate,
  schedule: RenewalSchedule | undefined,
): RenewalPlan["recordRenewal"] {
  const issued = certificate.issued;
  if (!issued || !schedule) return undefined;
  const next = { revision: issued.revision, ...recordedRenewal(schedule) };
  const recorded = certificate.renewal?.revision === issued.revision ? certificate.renewal : undefined;
  const same =
    recorded !== undefined &&
    recorded.renewalTime === next.renewalTime &&
    (recorded.windowError ?? undefined) === (next.windowError ?? undefined);
  return same ? undefined : next;
}

function changedSinceIssued(certificate: TrackedCertificate): readonly string[] {
  const issued = certificate.issued;
  // The common case, an untouched spec, is the very object the certificate was issued for.
  if (!issued || issued.spec === certificate.spec) return [];
  return changedIssuanceFields(issued.spec, certificate.spec);
}

export function planRenewal(
  certificate: TrackedCertificate,
  secret: SecretFacts | undefined,
  key: string,
  config: RenewalSchedulerConfig,
  now: Date,
): RenewalPlan {
  if (certificate.status !== "active" || certificate.issuing) return {};
  const schedule = scheduleFor(certificate, key, config);
  const recordRenewal = renewalToRecord(certificate, schedule);
  const due = schedule?.kind === "scheduled" ? schedule.renewalTime : undefined;
  const verdict = firstReissueReason({
    certificate: {
      name: certificate.name,
      issuerRef: certificate.spec.issuerRef,
      ...(certificate.spec.privateKey ? { privateKey: certificate.spec.privateKey } : {}),
      changedFields: changedSinceIssued(certificate),
    },
    secret,
    renewalTime: due,
    now,
  });
  const base = recordRenewal ? { recordRenewal } : {};
  if (!verdict) return { ...base, ...(due ? { wakeAt: due.getTime() } : {}) };

  const failure = certificate.failure;
  // A spec change skips the backoff: the failed request no longer matches what is wanted.
  const specChangedSinceFailure =
    failure !== undefined &&
    failure.spec !== certificate.spec &&
    changedIssuanceFields(failure.spec, certificate.spec).length > 0;
  if (failure && !specChangedSinceFailure) {
    const retryAt = nextAttemptTime(failure, config.backoff);
    if (now.getTime() < retryAt.getTime()) {
      const at = retryAt.toISOString();
      return {
        ...base,
        ...(failure.nextAttemptTime === at ? {} : { recordRetry: { requestName: failure.requestName, at } }),
        wakeAt: retryAt.getTime(),
      };
    }
  }
  return { ...base, trigger: verdict };
}
