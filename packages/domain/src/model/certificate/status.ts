import type { StoredCondition } from "../conditions.ts";
import type { ActiveCertificate } from "./state.ts";
import { latestFailure } from "./state.ts";

export interface CertificateStatus {
  readonly conditions: readonly StoredCondition[];
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly renewalTime?: string;
  readonly revision?: number;
  readonly nextPrivateKeySecretName?: string;
  readonly lastFailureTime?: string;
  readonly failedIssuanceAttempts?: number;
  /** While backing off after a failure: when the next attempt may start. */
  readonly nextAttemptTime?: string;
}

export function nextPrivateKeySecretName(certificateName: string): string {
  return `${certificateName}-next-key`;
}

/**
 * The status a reader sees at `now`. Readiness follows time: a certificate past notAfter is never
 * Ready, even while its renewal is stuck (cert-manager issue #7895 shows it Ready until something
 * else touches the object).
 */
export function certificateStatus(certificate: ActiveCertificate, now: Date): CertificateStatus {
  const { issued, phase, meta } = certificate;
  const issuing = phase.kind === "issuing" ? phase.attempt : undefined;
  // A retry still reports the failure it retries; only a backoff in progress has a next attempt.
  const failure = latestFailure(phase);
  const renewal = certificate.renewal?.revision === issued?.revision ? certificate.renewal : undefined;
  const generation = meta.generation;
  const since = issued?.issuedAt ?? meta.creationTimestamp;
  const condition = (
    type: string,
    status: StoredCondition["status"],
    reason: string,
    message: string,
  ): StoredCondition => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: since,
    observedGeneration: generation,
  });

  let ready: StoredCondition;
  if (!issued) {
    ready = condition("Ready", "False", "DoesNotExist", "Issuing certificate as Secret does not exist");
  } else if (now.getTime() >= Date.parse(issued.notAfter)) {
    ready = {
      ...condition("Ready", "False", "Expired", `Certificate expired on ${issued.notAfter}`),
      lastTransitionTime: issued.notAfter,
    };
  } else if (issuing && issuing.reason !== "Renewing" && issuing.reason !== "ManuallyTriggered") {
    ready = {
      ...condition("Ready", "False", issuing.reason, issuing.message),
      lastTransitionTime: issuing.since,
    };
  } else if (renewal?.windowError) {
    ready = condition(
      "Ready",
      "False",
      "WindowError",
      `Renewing certificate without satisfying renewal windows: ${renewal.windowError}`,
    );
  } else {
    ready = condition("Ready", "True", "Ready", "Certificate is up to date and has not expired");
  }

  const conditions: StoredCondition[] = [ready];
  if (issuing) {
    conditions.push({
      ...condition("Issuing", "True", issuing.reason, issuing.message),
      lastTransitionTime: issuing.since,
    });
  } else if (failure) {
    conditions.push({
      ...condition(
        "Issuing",
        "False",
        failure.reason,
        `The certificate request has failed to complete and will be retried: ${failure.message}`,
      ),
      lastTransitionTime: failure.lastFailureTime,
    });
  }

  return {
    conditions,
    ...(issued
      ? {
          notBefore: issued.notBefore,
          notAfter: issued.notAfter,
          revision: issued.revision,
          ...(renewal?.renewalTime === undefined ? {} : { renewalTime: renewal.renewalTime }),
        }
      : {}),
    ...(issuing ? { nextPrivateKeySecretName: nextPrivateKeySecretName(meta.name) } : {}),
    ...(failure
      ? { lastFailureTime: failure.lastFailureTime, failedIssuanceAttempts: failure.attempts }
      : {}),
    ...(phase.kind === "failed" && phase.failure.nextAttemptTime
      ? { nextAttemptTime: phase.failure.nextAttemptTime }
      : {}),
  };
}
