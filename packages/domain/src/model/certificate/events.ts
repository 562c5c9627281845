import type { CertificateSpec } from "../../resources/certificate.ts";
import type { StoredObjectMeta } from "../object-meta.ts";

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

export type CertificateEvent =
  | {
      readonly type: "CertificateApplied";
      readonly data: {
        readonly meta: StoredObjectMeta;
        /**
         * The spec exactly as intake validated it. Events written while this was typed as an open
         * record need no upcaster: intake has always stored the schema's output, and the schema has
         * no defaults or transforms, so that JSON already has this shape.
         */
        readonly spec: CertificateSpec;
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
