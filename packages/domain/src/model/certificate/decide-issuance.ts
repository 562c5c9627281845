import type { Decider } from "../../decider.ts";
import { jsonEqual } from "../object-meta.ts";
import type { CertificateIssuanceCommand } from "./commands.ts";
import type { CertificateEvent, IssuanceTriggerReason } from "./events.ts";
import { evolveCertificate } from "./evolve.ts";
import type { ActiveCertificate, CertificateState, ScheduledRenewal } from "./state.ts";
import { initialCertificateState, requireActive } from "./state.ts";

function triggered(
  state: ActiveCertificate,
  reason: IssuanceTriggerReason,
  message: string,
  now: string,
): CertificateEvent {
  const attempt = state.requestCount + 1;
  return {
    type: "IssuanceTriggered",
    data: {
      revision: (state.issued?.revision ?? 0) + 1,
      requestName: `${state.meta.name}-${attempt}`,
      reason,
      message,
      generation: state.meta.generation,
      triggeredAt: now,
    },
  };
}

function scheduledRenewal(
  revision: number,
  renewal: { readonly renewalTime?: string; readonly windowError?: string },
): ScheduledRenewal {
  return {
    revision,
    ...(renewal.renewalTime === undefined ? {} : { renewalTime: renewal.renewalTime }),
    ...(renewal.windowError === undefined ? {} : { windowError: renewal.windowError }),
  };
}

function decideIssuance(command: CertificateIssuanceCommand, state: CertificateState): CertificateEvent[] {
  switch (command.type) {
    case "TriggerIssuance": {
      const active = requireActive(state);
      if (active.phase.kind === "issuing") return [];
      if (command.basedOnRequestCount !== undefined && command.basedOnRequestCount !== active.requestCount)
        return [];
      return [triggered(active, command.reason, command.message, command.now)];
    }
    case "ScheduleRenewal": {
      const active = requireActive(state);
      if (active.issued?.revision !== command.revision) return [];
      const next = scheduledRenewal(command.revision, command);
      if (jsonEqual(active.renewal, next)) return [];
      return [{ type: "RenewalScheduled", data: { ...next, scheduledAt: command.now } }];
    }
    case "ScheduleIssuanceRetry": {
      const active = requireActive(state);
      const { phase } = active;
      if (
        phase.kind !== "failed" ||
        phase.failure.requestName !== command.requestName ||
        phase.failure.nextAttemptTime === command.at
      ) {
        return [];
      }
      return [
        {
          type: "IssuanceRetryScheduled",
          data: { requestName: command.requestName, at: command.at, scheduledAt: command.now },
        },
      ];
    }
    case "RecordIssued": {
      const active = requireActive(state);
      const { phase } = active;
      if (phase.kind !== "issuing" || phase.attempt.requestName !== command.requestName) return [];
      const revision = phase.attempt.revision;
      const issued: CertificateEvent = {
        type: "CertificateIssued",
        data: {
          revision,
          requestName: command.requestName,
          serialNumber: command.serialNumber,
          notBefore: command.notBefore,
          notAfter: command.notAfter,
          issuedAt: command.now,
        },
      };
      if (command.renewal === undefined) return [issued];
      return [
        issued,
        {
          type: "RenewalScheduled",
          data: { ...scheduledRenewal(revision, command.renewal), scheduledAt: command.now },
        },
      ];
    }
    case "RecordIssuanceFailed": {
      const active = requireActive(state);
      const { phase } = active;
      if (phase.kind !== "issuing" || phase.attempt.requestName !== command.requestName) return [];
      return [
        {
          type: "IssuanceFailed",
          data: {
            revision: phase.attempt.revision,
            requestName: command.requestName,
            reason: command.reason,
            message: command.message,
            failedIssuanceAttempts: (phase.previousFailure?.attempts ?? 0) + 1,
            failedAt: command.now,
          },
        },
      ];
    }
  }
}

/** The Certificate's issuance record, owned by the renewal-scheduler. */
export const certificateIssuanceDecider: Decider<
  CertificateIssuanceCommand,
  CertificateEvent,
  CertificateState
> = {
  initialState: initialCertificateState,
  decide: decideIssuance,
  evolve: evolveCertificate,
};
