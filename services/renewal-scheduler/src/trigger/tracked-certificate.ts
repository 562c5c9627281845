// The scheduler's compact view of one certificate: only what renewal needs, so a million of them
// fit in memory. Folded from the same events as the Certificate aggregate (its spec stream and its
// issuance stream); requestCount counts IssuanceTriggered exactly as the aggregate does, because
// TriggerIssuance is guarded by it.
import type { CertificateSpec } from "@certplane/domain";
import type { CertificateEvent, ScheduledRenewal } from "@certplane/domain/model";

export interface TrackedCertificate {
  readonly status: "active" | "deleted";
  readonly namespace: string;
  readonly name: string;
  readonly spec: CertificateSpec;
  readonly requestCount: number;
  readonly issuing: boolean;
  /** The spec of the latest trigger, which the next issued certificate will satisfy. */
  readonly requestedSpec?: CertificateSpec;
  readonly issued?: {
    readonly revision: number;
    readonly notBefore: string;
    readonly notAfter: string;
    /** The spec this certificate was requested for. */
    readonly spec: CertificateSpec;
  };
  readonly failure?: {
    readonly requestName: string;
    readonly attempts: number;
    readonly lastFailureTime: string;
    readonly nextAttemptTime?: string;
    /** The spec the failed request was made for; a different spec skips the backoff. */
    readonly spec: CertificateSpec;
  };
  readonly renewal?: ScheduledRenewal;
}

export function evolveTracked(
  state: TrackedCertificate | undefined,
  event: CertificateEvent,
): TrackedCertificate | undefined {
  if (event.type === "CertificateApplied") {
    const { meta, spec } = event.data;
    if (state?.status === "active") return { ...state, spec };
    return {
      status: "active",
      namespace: meta.namespace ?? "",
      name: meta.name,
      spec,
      requestCount: state?.requestCount ?? 0,
      issuing: false,
    };
  }
  if (state?.status !== "active") return state;
  switch (event.type) {
    case "CertificateDeleted":
      return {
        status: "deleted",
        namespace: state.namespace,
        name: state.name,
        spec: state.spec,
        requestCount: state.requestCount,
        issuing: false,
      };
    case "IssuanceTriggered":
      return { ...state, requestCount: state.requestCount + 1, issuing: true, requestedSpec: state.spec };
    case "CertificateIssued": {
      const { failure: _cleared, ...rest } = state;
      const { revision, notBefore, notAfter } = event.data;
      return {
        ...rest,
        issuing: false,
        issued: { revision, notBefore, notAfter, spec: state.requestedSpec ?? state.spec },
      };
    }
    case "IssuanceFailed": {
      const { requestName, failedIssuanceAttempts, failedAt } = event.data;
      return {
        ...state,
        issuing: false,
        failure: {
          requestName,
          attempts: failedIssuanceAttempts,
          lastFailureTime: failedAt,
          spec: state.requestedSpec ?? state.spec,
        },
      };
    }
    case "RenewalScheduled": {
      const { scheduledAt: _at, ...renewal } = event.data;
      return { ...state, renewal };
    }
    case "IssuanceRetryScheduled":
      if (state.failure?.requestName !== event.data.requestName) return state;
      return { ...state, failure: { ...state.failure, nextAttemptTime: event.data.at } };
    default:
      return state;
  }
}
