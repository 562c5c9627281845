// The facts the reissue trigger chain decides on, gathered beforehand into a plain record. Secret
// facts come from public material only (tls.crt and annotations): sealed keys are never opened.
import type { IssuerReference } from "../resources/references.ts";

/** What can be known about a key without its private half. */
export interface PublicKeyFacts {
  /** RFC 5280 key identifier (SHA-1 of the subjectPublicKey), lowercase hex. */
  readonly keyId: string;
  readonly algorithm: "RSA" | "ECDSA" | "Ed25519";
  /** RSA modulus bits or ECDSA curve size; absent for Ed25519. */
  readonly size?: number;
}

export interface SecretFacts {
  readonly hasCertificate: boolean;
  readonly hasPrivateKey: boolean;
  /** The leaf in tls.crt; absent when tls.crt is missing or does not decode. */
  readonly certificate?: PublicKeyFacts & { readonly notAfter: string };
  readonly certificateDecodes: boolean;
  /** The key identifier of the sealed tls.key, as the publisher records it in an annotation. */
  readonly privateKeyId?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface TriggerCertificate {
  readonly name: string;
  readonly issuerRef: IssuerReference;
  readonly privateKey?: { readonly algorithm?: string; readonly size?: number };
  /** Issuance-relevant spec fields that differ from those the current certificate was issued for. */
  readonly changedFields: readonly string[];
}

export interface TriggerInput {
  readonly certificate: TriggerCertificate;
  /** Undefined when the secret does not exist. */
  readonly secret: SecretFacts | undefined;
  /** The effective renewal time; undefined when renewal is disabled or nothing was issued yet. */
  readonly renewalTime: Date | undefined;
  readonly now: Date;
}

/** Annotations the secret-publisher writes on a Certificate's secret. */
export const secretAnnotations = {
  certificateName: "cert-manager.io/certificate-name",
  issuerName: "cert-manager.io/issuer-name",
  issuerKind: "cert-manager.io/issuer-kind",
  issuerGroup: "cert-manager.io/issuer-group",
  /** certplane's own: the key identifier of tls.key, so key/cert pairing is checked without opening it. */
  privateKeyId: "certplane.io/private-key-id",
} as const;
