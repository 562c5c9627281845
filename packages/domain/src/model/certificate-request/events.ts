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
      readonly data: {
        readonly certificate: string;
        readonly ca?: string;
        /** Only when the issuer warned; events written before warnings were recorded have none. */
        readonly warnings?: readonly string[];
        readonly at: string;
      };
    }
  | { readonly type: "CertificateRequestDeleted"; readonly data: { readonly at: string } };

/**
 * The Ready message of an issued request, as cert-manager words it, with what the issuer warned
 * about appended: a cert-manager user reads a capped lifetime where they look for the request's state.
 */
export function issuedMessage(warnings: readonly string[] | undefined): string {
  const fetched = "Certificate fetched from issuer successfully";
  return warnings && warnings.length > 0 ? `${fetched}; the issuer warned: ${warnings.join("; ")}` : fetched;
}
