// What a CertificateRequest asks for, read from its CSR and spec by the approver before any policy
// looks at it: a plain record, so every rule is a pure function of it.

type RequestedKeyAlgorithm = "RSA" | "ECDSA" | "Ed25519";

export interface RequestedSubject {
  readonly organizations: readonly string[];
  readonly countries: readonly string[];
  readonly organizationalUnits: readonly string[];
  readonly localities: readonly string[];
  readonly provinces: readonly string[];
  readonly streetAddresses: readonly string[];
  readonly postalCodes: readonly string[];
  readonly serialNumber?: string;
}

/** What a policy's selector looks at: known without decoding the CSR. */
export interface PolicyTarget {
  readonly namespace: string;
  /** With cert-manager's defaults applied: empty kind is Issuer, empty group cert-manager.io. */
  readonly issuerRef: { readonly name: string; readonly kind: string; readonly group: string };
}

/** A subject with no attributes: what a request names none of. */
export const emptySubject: RequestedSubject = {
  organizations: [],
  countries: [],
  organizationalUnits: [],
  localities: [],
  provinces: [],
  streetAddresses: [],
  postalCodes: [],
};

export interface RequestedCertificate {
  readonly commonName?: string;
  readonly subject: RequestedSubject;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
  readonly emailAddresses: readonly string[];
  readonly isCA: boolean;
  readonly usages: readonly string[];
  /** spec.duration, or cert-manager's default (90 days) when the request names none. */
  readonly durationMs: number;
  readonly privateKey: { readonly algorithm: RequestedKeyAlgorithm; readonly size: number };
}

/** A CSR that cannot be read is judged by the policies that select it, never skipped. */
export type RequestReading =
  | { readonly ok: true; readonly request: RequestedCertificate }
  | { readonly ok: false; readonly message: string };
