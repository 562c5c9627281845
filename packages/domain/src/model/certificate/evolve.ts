import type { CertificateEvent } from "./events.ts";
import type { CertificateState, RevisionRecord } from "./state.ts";
import { latestFailure } from "./state.ts";

function recordHistory(
  history: readonly RevisionRecord[],
  requestName: string,
  change: Partial<RevisionRecord>,
): readonly RevisionRecord[] {
  return history.map((record) => (record.requestName === requestName ? { ...record, ...change } : record));
}

/** One evolve for both writers' events, so the spec and the issuance record fold into one object. */
export function evolveCertificate(state: CertificateState, event: CertificateEvent): CertificateState {
  switch (event.type) {
    case "CertificateApplied": {
      const { meta, spec } = event.data;
      if (state.status === "active") return { ...state, meta, spec };
      return {
        status: "active",
        meta,
        spec,
        requestCount: state.requestCount,
        phase: { kind: "idle" },
        history: state.history,
      };
    }
    case "CertificateDeleted":
      if (state.status !== "active") return state;
      return {
        status: "deleted",
        meta: state.meta,
        spec: state.spec,
        deletedAt: event.data.deletedAt,
        requestCount: state.requestCount,
        history: state.history,
      };
    case "IssuanceTriggered": {
      if (state.status !== "active") return state;
      const { revision, requestName, reason, message, generation, triggeredAt } = event.data;
      const previousFailure = latestFailure(state.phase);
      return {
        ...state,
        requestCount: state.requestCount + 1,
        phase: {
          kind: "issuing",
          attempt: { revision, requestName, reason, message, generation, since: triggeredAt },
          ...(previousFailure ? { previousFailure } : {}),
        },
        history: [
          ...state.history,
          {
            requestName,
            revision,
            trigger: reason,
            triggerMessage: message,
            triggeredAt,
            outcome: "pending",
          },
        ],
      };
    }
    case "CertificateIssued": {
      if (state.status !== "active") return state;
      const data = event.data;
      const generation =
        state.phase.kind === "issuing" ? state.phase.attempt.generation : state.meta.generation;
      return {
        ...state,
        phase: { kind: "idle" },
        issued: { ...data, generation },
        history: recordHistory(state.history, data.requestName, {
          outcome: "issued",
          serialNumber: data.serialNumber,
          notBefore: data.notBefore,
          notAfter: data.notAfter,
        }),
      };
    }
    case "IssuanceFailed": {
      if (state.status !== "active") return state;
      const data = event.data;
      return {
        ...state,
        phase: {
          kind: "failed",
          failure: {
            revision: data.revision,
            requestName: data.requestName,
            reason: data.reason,
            message: data.message,
            attempts: data.failedIssuanceAttempts,
            lastFailureTime: data.failedAt,
          },
        },
        history: recordHistory(state.history, data.requestName, {
          outcome: "failed",
          failureMessage: data.message,
        }),
      };
    }
    case "RenewalScheduled": {
      if (state.status !== "active") return state;
      const { scheduledAt: _at, ...renewal } = event.data;
      return { ...state, renewal };
    }
    case "IssuanceRetryScheduled": {
      // Only a backoff in progress has a next attempt; once the retry runs, the time is spent.
      if (state.status !== "active" || state.phase.kind !== "failed") return state;
      const { failure } = state.phase;
      if (failure.requestName !== event.data.requestName) return state;
      return { ...state, phase: { kind: "failed", failure: { ...failure, nextAttemptTime: event.data.at } } };
    }
  }
}
