import type { IssuerReference } from "../../resources/references.ts";
import type { StoredObjectMeta } from "../object-meta.ts";

export interface CertificateRequestSpecFields {
  /** PEM-encoded PKCS#10 CSR (public material only). */
  readonly request: string;
  readonly issuerRef: IssuerReference;
  readonly duration?: string;
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
  readonly [field: string]: unknown;
}

export interface ConditionChange {
  readonly reason: string;
  readonly message: string;
  readonly at: string;
}

export type CertificateRequestEvent =
  | {
      readonly type: "CertificateRequestCreated";
      readonly data: {
        readonly meta: StoredObjectMeta;
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
