import type { Decider } from "../decider.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { Condition } from "./conditions.ts";
import { setCondition } from "./conditions.ts";
import type { ObjectMeta } from "./object-meta.ts";
import { jsonEqual } from "./object-meta.ts";

export interface CertificateRequestSpecFields {
  /** PEM-encoded PKCS#10 CSR (public material only). */
  readonly request: string;
  readonly issuerRef: { readonly name: string; readonly kind?: string; readonly group?: string };
  readonly duration?: string;
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
  readonly [field: string]: unknown;
}

/** Annotations cert-manager puts on the requests it creates for a Certificate. */
export const requestAnnotations = {
  certificateName: "cert-manager.io/certificate-name",
  certificateRevision: "cert-manager.io/certificate-revision",
  privateKeySecretName: "cert-manager.io/private-key-secret-name",
} as const;

export type CertificateRequestEvent =
  | {
      readonly type: "CertificateRequestCreated";
      readonly data: {
        readonly meta: ObjectMeta;
        readonly spec: CertificateRequestSpecFields;
        readonly createdAt: string;
      };
    }
  | { readonly type: "CertificateRequestApproved"; readonly data: ConditionChange }
  | { readonly type: "CertificateRequestDenied"; readonly data: ConditionChange }
  | { readonly type: "CertificateRequestPending"; readonly data: ConditionChange }
  | { readonly type: "CertificateRequestMarkedInvalid"; readonly data: ConditionChange }
  | { readonly type: "CertificateRequestFailed"; readonly data: ConditionChange }
  | {
      readonly type: "CertificateRequestIssued";
      readonly data: { readonly certificate: string; readonly ca?: string; readonly at: string };
    }
  | { readonly type: "CertificateRequestDeleted"; readonly data: { readonly at: string } };

export interface ConditionChange {
  readonly reason: string;
  readonly message: string;
  readonly at: string;
}

export type CertificateRequestCommand =
  | {
      readonly type: "CreateCertificateRequest";
      readonly meta: ObjectMeta;
      readonly spec: CertificateRequestSpecFields;
      /**
       * A request that exists already is left as it is, whatever its spec: the secret-publisher's
       * retry carries a new CSR, since CSR signatures are not deterministic for every algorithm.
       */
      readonly ifAbsent?: boolean;
      readonly now: string;
    }
  | ({ readonly type: "ApproveCertificateRequest" } & Omit<ConditionChange, "at"> & { readonly now: string })
  | ({ readonly type: "DenyCertificateRequest" } & Omit<ConditionChange, "at"> & { readonly now: string })
  | ({ readonly type: "MarkCertificateRequestPending" } & Omit<ConditionChange, "at"> & {
        readonly now: string;
      })
  | ({ readonly type: "MarkCertificateRequestInvalid" } & Omit<ConditionChange, "at"> & {
        readonly now: string;
      })
  | ({ readonly type: "FailCertificateRequest" } & Omit<ConditionChange, "at"> & { readonly now: string })
  | {
      readonly type: "IssueCertificateRequest";
      readonly certificate: string;
      readonly ca?: string;
      readonly now: string;
    }
  | { readonly type: "DeleteCertificateRequest"; readonly now: string };

/** Where a request stands; final states never change again. */
export type RequestPhase = "pending" | "issued" | "failed" | "denied" | "invalid";

export type CertificateRequestState = { readonly status: "absent" } | ExistingCertificateRequest;

export interface ExistingCertificateRequest {
  readonly status: "present" | "deleted";
  readonly meta: ObjectMeta;
  readonly spec: CertificateRequestSpecFields;
  readonly phase: RequestPhase;
  readonly approved: boolean;
  readonly denied: boolean;
  readonly conditions: readonly Condition[];
  readonly certificate?: string;
  readonly ca?: string;
  readonly failureTime?: string;
}

function requireRequest(state: CertificateRequestState): ExistingCertificateRequest {
  if (state.status !== "present") throw new NotFoundError("certificaterequest not found");
  return state;
}

function isFinal(state: ExistingCertificateRequest): boolean {
  return state.phase !== "pending";
}

export const certificateRequestDecider: Decider<
  CertificateRequestCommand,
  CertificateRequestEvent,
  CertificateRequestState
> = {
  initialState: () => ({ status: "absent" }),

  decide(command, state) {
    const change = (c: { reason: string; message: string; now: string }): ConditionChange => ({
      reason: c.reason,
      message: c.message,
      at: c.now,
    });
    switch (command.type) {
      case "CreateCertificateRequest": {
        if (state.status === "present") {
          if (command.ifAbsent) return [];
          // cert-manager: the spec is immutable after creation; an identical create is a retry.
          if (jsonEqual(state.spec, command.spec)) return [];
          throw ValidationError.of("spec", "immutable", "cannot change spec after creation");
        }
        return [
          {
            type: "CertificateRequestCreated",
            data: { meta: command.meta, spec: command.spec, createdAt: command.now },
          },
        ];
      }
      case "ApproveCertificateRequest": {
        const request = requireRequest(state);
        if (request.approved || request.denied) return [];
        return [{ type: "CertificateRequestApproved", data: change(command) }];
      }
      case "DenyCertificateRequest": {
        const request = requireRequest(state);
        if (request.approved || request.denied) return [];
        return [{ type: "CertificateRequestDenied", data: change(command) }];
      }
      case "MarkCertificateRequestPending": {
        const request = requireRequest(state);
        if (isFinal(request)) return [];
        const ready = request.conditions.find((c) => c.type === "Ready");
        if (ready?.reason === "Pending" && ready.message === command.message) return [];
        return [{ type: "CertificateRequestPending", data: change(command) }];
      }
      case "MarkCertificateRequestInvalid": {
        const request = requireRequest(state);
        if (isFinal(request)) return [];
        return [{ type: "CertificateRequestMarkedInvalid", data: change(command) }];
      }
      case "FailCertificateRequest": {
        const request = requireRequest(state);
        if (isFinal(request)) return [];
        return [{ type: "CertificateRequestFailed", data: change(command) }];
      }
      case "IssueCertificateRequest": {
        const request = requireRequest(state);
        if (isFinal(request) || !request.approved) return [];
        return [
          {
            type: "CertificateRequestIssued",
            data: {
              certificate: command.certificate,
              ...(command.ca ? { ca: command.ca } : {}),
              at: command.now,
            },
          },
        ];
      }
      case "DeleteCertificateRequest":
        requireRequest(state);
        return [{ type: "CertificateRequestDeleted", data: { at: command.now } }];
    }
  },

  evolve(state, event) {
    if (event.type === "CertificateRequestCreated") {
      const { meta, spec, createdAt } = event.data;
      return {
        status: "present",
        meta,
        spec,
        phase: "pending",
        approved: false,
        denied: false,
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "Pending",
            message: "Waiting on certificate issuance from order",
            lastTransitionTime: createdAt,
          },
        ],
      };
    }
    if (state.status === "absent") return state;
    const cond = (type: string, status: Condition["status"], data: ConditionChange): Condition => ({
      type,
      status,
      reason: data.reason,
      message: data.message,
      lastTransitionTime: data.at,
    });
    switch (event.type) {
      case "CertificateRequestApproved":
        return {
          ...state,
          approved: true,
          conditions: setCondition(state.conditions, cond("Approved", "True", event.data)),
        };
      case "CertificateRequestDenied": {
        const conditions = setCondition(state.conditions, cond("Denied", "True", event.data));
        return {
          ...state,
          denied: true,
          phase: "denied",
          failureTime: event.data.at,
          conditions: setCondition(conditions, cond("Ready", "False", { ...event.data, reason: "Denied" })),
        };
      }
      case "CertificateRequestPending":
        return {
          ...state,
          conditions: setCondition(
            state.conditions,
            cond("Ready", "False", { ...event.data, reason: "Pending" }),
          ),
        };
      case "CertificateRequestMarkedInvalid": {
        const conditions = setCondition(state.conditions, cond("InvalidRequest", "True", event.data));
        return {
          ...state,
          phase: "invalid",
          failureTime: event.data.at,
          conditions: setCondition(conditions, cond("Ready", "False", { ...event.data, reason: "Failed" })),
        };
      }
      case "CertificateRequestFailed":
        return {
          ...state,
          phase: "failed",
          failureTime: event.data.at,
          conditions: setCondition(
            state.conditions,
            cond("Ready", "False", { ...event.data, reason: "Failed" }),
          ),
        };
      case "CertificateRequestIssued":
        return {
          ...state,
          phase: "issued",
          certificate: event.data.certificate,
          ...(event.data.ca ? { ca: event.data.ca } : {}),
          conditions: setCondition(
            state.conditions,
            cond("Ready", "True", {
              reason: "Issued",
              message: "Certificate fetched from issuer successfully",
              at: event.data.at,
            }),
          ),
        };
      case "CertificateRequestDeleted":
        return { ...state, status: "deleted" };
    }
  },
};
