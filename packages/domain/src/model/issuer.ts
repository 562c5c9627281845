import type { Decider } from "../decider.ts";
import { NotFoundError } from "../errors.ts";
import type { Condition, ConditionStatus } from "./conditions.ts";
import type { ObjectMeta } from "./object-meta.ts";
import { jsonEqual } from "./object-meta.ts";
import type { ApplyInput } from "./resource-lifecycle.ts";
import { planApply } from "./resource-lifecycle.ts";

/** Issuer and ClusterIssuer share this spec; exactly one issuer type is set (validated at intake). */
export interface IssuerSpecFields {
  readonly selfSigned?: { readonly crlDistributionPoints?: readonly string[] };
  readonly ca?: {
    readonly secretName: string;
    readonly crlDistributionPoints?: readonly string[];
    readonly ocspServers?: readonly string[];
    readonly issuingCertificateURLs?: readonly string[];
  };
  readonly [field: string]: unknown;
}

export type IssuerType = "selfSigned" | "ca" | "acme" | "vault" | "venafi";

export function issuerTypeOf(spec: IssuerSpecFields): IssuerType | undefined {
  const types: IssuerType[] = ["selfSigned", "ca", "acme", "vault", "venafi"];
  return types.find((type) => spec[type] !== undefined && spec[type] !== null);
}

export interface IssuerReadiness {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly at: string;
}

export type IssuerEvent =
  | {
      readonly type: "IssuerApplied";
      readonly data: {
        readonly meta: ObjectMeta;
        readonly spec: IssuerSpecFields;
        readonly appliedAt: string;
      };
    }
  | { readonly type: "IssuerReadinessChanged"; readonly data: IssuerReadiness }
  | { readonly type: "IssuerDeleted"; readonly data: { readonly deletedAt: string } }
  | {
      readonly type: "IssuerAcmeAccountRegistered";
      readonly data: AcmeAccountStatus & { readonly at: string };
    };

/** cert-manager's `status.acme`: the account the issuer registered, so a changed email or key shows. */
export interface AcmeAccountStatus {
  readonly uri: string;
  readonly lastRegisteredEmail?: string;
  /** SHA-256 of the account key's public key (base64url); never the key itself. */
  readonly lastPrivateKeyHash: string;
}

/** What users assert about an issuer: intake's commands on `issuer-…`/`clusterIssuer-…`. */
export type IssuerCommand =
  | ({ readonly type: "ApplyIssuer" } & ApplyInput<IssuerSpecFields>)
  | { readonly type: "DeleteIssuer"; readonly now: string };

/** What the issuer's backends found: the signer's commands on the companion status stream. */
export type IssuerStatusCommand =
  | {
      readonly type: "SetIssuerReadiness";
      readonly status: ConditionStatus;
      readonly reason: string;
      readonly message: string;
      /** The generation the check looked at; a stale check must not overwrite a newer one. */
      readonly generation: number;
      readonly now: string;
    }
  | ({ readonly type: "RecordAcmeAccount" } & AcmeAccountStatus & { readonly now: string });

export type IssuerState = { readonly status: "absent" } | ExistingIssuer;

export interface ExistingIssuer {
  readonly status: "active" | "deleted";
  readonly meta: ObjectMeta;
  readonly spec: IssuerSpecFields;
  readonly readiness?: IssuerReadiness;
  readonly acme?: AcmeAccountStatus;
}

export function issuerReadyCondition(state: ExistingIssuer): Condition {
  const readiness = state.readiness;
  if (!readiness || readiness.observedGeneration !== state.meta.generation) {
    return {
      type: "Ready",
      status: "Unknown",
      reason: "Pending",
      message: "Waiting for the issuer to be checked",
      lastTransitionTime: state.meta.creationTimestamp,
      observedGeneration: readiness?.observedGeneration ?? 0,
    };
  }
  return {
    type: "Ready",
    status: readiness.status,
    reason: readiness.reason,
    message: readiness.message,
    lastTransitionTime: readiness.at,
    observedGeneration: readiness.observedGeneration,
  };
}

function decideStatus(command: IssuerStatusCommand, state: IssuerState): IssuerEvent[] {
  switch (command.type) {
    case "RecordAcmeAccount": {
      if (state.status !== "active") return [];
      const { uri, lastRegisteredEmail, lastPrivateKeyHash } = command;
      const account: AcmeAccountStatus = {
        uri,
        ...(lastRegisteredEmail ? { lastRegisteredEmail } : {}),
        lastPrivateKeyHash,
      };
      if (state.acme && jsonEqual(state.acme, account)) return [];
      return [{ type: "IssuerAcmeAccountRegistered", data: { ...account, at: command.now } }];
    }
    case "SetIssuerReadiness": {
      if (state.status !== "active" || command.generation !== state.meta.generation) return [];
      const current = state.readiness;
      if (
        current &&
        current.observedGeneration === command.generation &&
        current.status === command.status &&
        current.reason === command.reason &&
        current.message === command.message
      ) {
        return [];
      }
      return [
        {
          type: "IssuerReadinessChanged",
          data: {
            status: command.status,
            reason: command.reason,
            message: command.message,
            observedGeneration: command.generation,
            at: command.now,
          },
        },
      ];
    }
  }
}

function evolveIssuer(state: IssuerState, event: IssuerEvent): IssuerState {
  switch (event.type) {
    case "IssuerApplied": {
      const { meta, spec } = event.data;
      if (state.status === "active") return { ...state, meta, spec };
      return { status: "active", meta, spec };
    }
    case "IssuerReadinessChanged":
      return state.status === "active" ? { ...state, readiness: event.data } : state;
    case "IssuerDeleted":
      return state.status === "active" ? { ...state, status: "deleted" } : state;
    case "IssuerAcmeAccountRegistered": {
      const { at: _at, ...account } = event.data;
      return state.status === "active" ? { ...state, acme: account } : state;
    }
  }
}

const initialState = (): IssuerState => ({ status: "absent" });

/**
 * An issuer's spec, owned by intake; folded together with its status stream (readiness, ACME
 * account), so readers see one issuer.
 */
export const issuerDecider: Decider<IssuerCommand, IssuerEvent, IssuerState> = {
  initialState,
  decide(command, state) {
    if (command.type === "ApplyIssuer") {
      const plan = planApply(state.status === "active" ? state : undefined, command);
      if (plan.kind === "unchanged") return [];
      return [
        { type: "IssuerApplied", data: { meta: plan.meta, spec: command.spec, appliedAt: command.now } },
      ];
    }
    if (state.status !== "active") throw new NotFoundError("issuer not found");
    return [{ type: "IssuerDeleted", data: { deletedAt: command.now } }];
  },
  evolve: evolveIssuer,
};

/** An issuer's status, owned by the signer (the acme-solver sends it what ACME registration found). */
export const issuerStatusDecider: Decider<IssuerStatusCommand, IssuerEvent, IssuerState> = {
  initialState,
  decide: decideStatus,
  evolve: evolveIssuer,
};
