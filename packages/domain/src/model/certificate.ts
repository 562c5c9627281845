import type { Decider } from "../decider.ts";
import { NotFoundError } from "../errors.ts";
import type { ObjectMeta } from "./object-meta.ts";
import { jsonEqual } from "./object-meta.ts";
import type { ApplyInput } from "./resource-lifecycle.ts";
import { planApply } from "./resource-lifecycle.ts";

/** The fields of a Certificate spec this aggregate reads; the full, validated spec is stored as is. */
export interface CertificateSpecFields {
  readonly secretName: string;
  readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
  readonly [field: string]: unknown;
}

/** Why an issuance started, with cert-manager's reason codes. */
export type IssuanceTriggerReason =
  | "DoesNotExist"
  | "MissingData"
  | "InvalidKeyPair"
  | "IncorrectIssuer"
  | "IncorrectCertificate"
  | "SecretMismatch"
  | "RequestChanged"
  | "Renewing"
  | "Expired"
  | "ManuallyTriggered";

/**
 * Spec fields whose change makes the issued certificate out of date (cert-manager compares the
 * same set between the current CertificateRequest and the spec). The rest (renewal timing,
 * secretTemplate, history limit, output formats) apply without a new certificate.
 */
export const issuanceRelevantFields = [
  "secretName",
  "commonName",
  "literalSubject",
  "subject",
  "dnsNames",
  "ipAddresses",
  "uris",
  "emailAddresses",
  "otherNames",
  "duration",
  "isCA",
  "usages",
  "encodeUsagesInRequest",
  "issuerRef",
  "privateKey",
  "signatureAlgorithm",
  "nameConstraints",
] as const;

export function changedIssuanceFields(before: CertificateSpecFields, after: CertificateSpecFields): string[] {
  return issuanceRelevantFields
    .filter((field) => !jsonEqual(before[field], after[field]))
    .map((f) => `spec.${f}`);
}

export type CertificateEvent =
  | {
      readonly type: "CertificateApplied";
      readonly data: {
        readonly meta: ObjectMeta;
        readonly spec: CertificateSpecFields;
        readonly appliedAt: string;
      };
    }
  | { readonly type: "CertificateDeleted"; readonly data: { readonly deletedAt: string } }
  | {
      readonly type: "IssuanceTriggered";
      readonly data: {
        /** The revision the issued certificate will carry (current revision + 1). */
        readonly revision: number;
        /** Deterministic name of the CertificateRequest for this attempt, so retries are idempotent. */
        readonly requestName: string;
        readonly reason: IssuanceTriggerReason;
        readonly message: string;
        readonly generation: number;
        readonly triggeredAt: string;
      };
    }
  | {
      readonly type: "CertificateIssued";
      readonly data: {
        readonly revision: number;
        readonly requestName: string;
        readonly serialNumber: string;
        readonly notBefore: string;
        readonly notAfter: string;
        readonly issuedAt: string;
      };
    }
  | {
      readonly type: "IssuanceFailed";
      readonly data: {
        readonly revision: number;
        readonly requestName: string;
        readonly reason: string;
        readonly message: string;
        readonly failedIssuanceAttempts: number;
        readonly failedAt: string;
      };
    }
  | {
      /** The renewal-scheduler's effective renewal time for an issued revision (absent: renewal disabled). */
      readonly type: "RenewalScheduled";
      readonly data: {
        readonly revision: number;
        readonly renewalTime?: string;
        /** Set when no renewal window fits; the renewal then happens at the unwindowed time. */
        readonly windowError?: string;
        readonly scheduledAt: string;
      };
    }
  | {
      /** When the next issuance attempt after a failure is allowed (failure backoff). */
      readonly type: "IssuanceRetryScheduled";
      readonly data: { readonly requestName: string; readonly at: string; readonly scheduledAt: string };
    };

/** What users assert about a Certificate: intake's commands on `certificate-…`. */
export type CertificateSpecCommand =
  | ({ readonly type: "ApplyCertificate" } & ApplyInput<CertificateSpecFields>)
  | { readonly type: "DeleteCertificate"; readonly now: string };

/** The renewal-scheduler's commands on `certificateIssuance-…`, some sent by other services. */
export type CertificateIssuanceCommand =
  | {
      readonly type: "TriggerIssuance";
      readonly reason: IssuanceTriggerReason;
      readonly message: string;
      readonly now: string;
      /**
       * Guard for automatic triggers: the requestCount the caller saw. When another trigger happened
       * since (a second scheduler instance, a late timer), the command changes nothing.
       */
      readonly basedOnRequestCount?: number;
    }
  | {
      readonly type: "ScheduleRenewal";
      readonly revision: number;
      readonly renewalTime?: string;
      readonly windowError?: string;
      readonly now: string;
    }
  | {
      readonly type: "ScheduleIssuanceRetry";
      readonly requestName: string;
      readonly at: string;
      readonly now: string;
    }
  | {
      readonly type: "RecordIssued";
      readonly requestName: string;
      readonly serialNumber: string;
      readonly notBefore: string;
      readonly notAfter: string;
      /**
       * The renewal of this revision, gathered by the scheduler from the one renewal-time function
       * before deciding, so the issuance and its renewal are one commit.
       */
      readonly renewal?: { readonly renewalTime?: string; readonly windowError?: string };
      readonly now: string;
    }
  | {
      readonly type: "RecordIssuanceFailed";
      readonly requestName: string;
      readonly reason: string;
      readonly message: string;
      readonly now: string;
    };

export type CertificateCommand = CertificateSpecCommand | CertificateIssuanceCommand;

export interface IssuedCertificate {
  readonly revision: number;
  readonly requestName: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  /** Spec generation the certificate was issued for. */
  readonly generation: number;
}

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
      readonly meta: ObjectMeta;
      readonly spec: CertificateSpecFields;
      readonly deletedAt: string;
      readonly requestCount: number;
      readonly history: readonly RevisionRecord[];
    }
  | ActiveCertificate;

export interface ActiveCertificate {
  readonly status: "active";
  readonly meta: ObjectMeta;
  readonly spec: CertificateSpecFields;
  /** Issuance attempts so far, across the whole life of the stream; names the next request. */
  readonly requestCount: number;
  readonly issued?: IssuedCertificate;
  readonly issuing?: IssuanceInProgress;
  readonly failure?: IssuanceFailure;
  /** The scheduler's effective renewal time; applies while `revision` is the issued one. */
  readonly renewal?: ScheduledRenewal;
  readonly history: readonly RevisionRecord[];
}

function triggered(
  state: ActiveCertificate,
  name: string,
  generation: number,
  reason: IssuanceTriggerReason,
  message: string,
  now: string,
): CertificateEvent {
  const attempt = state.requestCount + 1;
  return {
    type: "IssuanceTriggered",
    data: {
      revision: (state.issued?.revision ?? 0) + 1,
      requestName: `${name}-${attempt}`,
      reason,
      message,
      generation,
      triggeredAt: now,
    },
  };
}

/**
 * Applying records the spec and nothing else: whether it needs a new certificate is the
 * renewal-scheduler's one trigger decision, made when it sees the change.
 */
function decideApply(
  command: Extract<CertificateSpecCommand, { type: "ApplyCertificate" }>,
  state: CertificateState,
): CertificateEvent[] {
  const plan = planApply(state.status === "active" ? state : undefined, command);
  if (plan.kind === "unchanged") return [];
  return [
    { type: "CertificateApplied", data: { meta: plan.meta, spec: command.spec, appliedAt: command.now } },
  ];
}

function requireActive(state: CertificateState): ActiveCertificate {
  if (state.status !== "active") throw new NotFoundError("certificate not found");
  return state;
}

function recordHistory(
  history: readonly RevisionRecord[],
  requestName: string,
  change: Partial<RevisionRecord>,
): readonly RevisionRecord[] {
  return history.map((record) => (record.requestName === requestName ? { ...record, ...change } : record));
}

const initialState = (): CertificateState => ({ status: "absent", requestCount: 0, history: [] });

function decideIssuance(command: CertificateIssuanceCommand, state: CertificateState): CertificateEvent[] {
  switch (command.type) {
    case "TriggerIssuance": {
      const active = requireActive(state);
      if (active.issuing) return [];
      if (command.basedOnRequestCount !== undefined && command.basedOnRequestCount !== active.requestCount)
        return [];
      return [
        triggered(
          active,
          active.meta.name,
          active.meta.generation,
          command.reason,
          command.message,
          command.now,
        ),
      ];
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
      const failure = active.failure;
      if (
        active.issuing ||
        failure?.requestName !== command.requestName ||
        failure.nextAttemptTime === command.at
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
      if (active.issuing?.requestName !== command.requestName) return [];
      const revision = active.issuing.revision;
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
      if (active.issuing?.requestName !== command.requestName) return [];
      return [
        {
          type: "IssuanceFailed",
          data: {
            revision: active.issuing.revision,
            requestName: command.requestName,
            reason: command.reason,
            message: command.message,
            failedIssuanceAttempts: (active.failure?.attempts ?? 0) + 1,
            failedAt: command.now,
          },
        },
      ];
    }
  }
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

function evolveCertificate(state: CertificateState, event: CertificateEvent): CertificateState {
  switch (event.type) {
    case "CertificateApplied": {
      const { meta, spec } = event.data;
      if (state.status === "active") return { ...state, meta, spec };
      return { status: "active", meta, spec, requestCount: state.requestCount, history: state.history };
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
      return {
        ...state,
        requestCount: state.requestCount + 1,
        issuing: { revision, requestName, reason, message, generation, since: triggeredAt },
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
      const { issuing: _done, failure: _cleared, ...rest } = state;
      const data = event.data;
      return {
        ...rest,
        issued: { ...data, generation: state.issuing?.generation ?? state.meta.generation },
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
      const { issuing: _failed, ...rest } = state;
      const data = event.data;
      return {
        ...rest,
        failure: {
          revision: data.revision,
          requestName: data.requestName,
          reason: data.reason,
          message: data.message,
          attempts: data.failedIssuanceAttempts,
          lastFailureTime: data.failedAt,
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
      if (state.status !== "active" || state.failure?.requestName !== event.data.requestName) return state;
      return { ...state, failure: { ...state.failure, nextAttemptTime: event.data.at } };
    }
  }
}

/**
 * The Certificate's spec, owned by intake. Its state is folded together with the issuance record
 * (the certificate's `certificateIssuance-…` companion stream), so both deciders see one object.
 */
export const certificateDecider: Decider<CertificateSpecCommand, CertificateEvent, CertificateState> = {
  initialState,
  decide(command, state) {
    if (command.type === "ApplyCertificate") return decideApply(command, state);
    requireActive(state);
    return [{ type: "CertificateDeleted", data: { deletedAt: command.now } }];
  },
  evolve: evolveCertificate,
};

/** The Certificate's issuance record, owned by the renewal-scheduler. */
export const certificateIssuanceDecider: Decider<
  CertificateIssuanceCommand,
  CertificateEvent,
  CertificateState
> = {
  initialState,
  decide: decideIssuance,
  evolve: evolveCertificate,
};
