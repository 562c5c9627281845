import type { KeyObject } from "node:crypto";
import { type FieldIssue, ValidationError } from "@certplane/domain";
import type { CertificateEncoder, CertificateToSign } from "./certificate-encoder.ts";
import { type CertificateTemplate, certificateTemplateFromCsr } from "./certificate-template.ts";
import { type CertificateView, parseCertificate } from "./certificate-view.ts";
import { type ParsedCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
import { derCertificateEncoder } from "./der-certificate-encoder.ts";
import { keyIdentifier } from "./key-identifier.ts";
import { publicKeysMatch } from "./keys.ts";
import { toPem } from "./pem.ts";
import { assertSerialNumber } from "./serial-number.ts";
import { type SignatureAlgorithm, signatureAlgorithmFor } from "./signature-algorithm.ts";
import { KEY_USAGE_BITS } from "./usages.ts";
import { hasSans } from "./x509-extensions.ts";

/** Who signs: a CA key pair (issuer `ca`) or the CSR's own key (issuer `selfSigned`). */
export type CertificateSigner =
  | { readonly kind: "ca"; readonly privateKey: KeyObject; readonly certificatePem: string }
  | { readonly kind: "selfSigned"; readonly privateKey: KeyObject };

export interface SignCertificateInput {
  readonly csrPem: string;
  /** Milliseconds; cert-manager's default (90 days) when absent. */
  readonly duration?: number;
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
  readonly notBefore: Date;
  /** Hex; see randomSerialNumber. */
  readonly serialNumber: string;
  readonly signer: CertificateSigner;
  readonly signatureAlgorithm?: SignatureAlgorithm;
  /** Never let the certificate outlive the issuing CA certificate. */
  readonly capNotAfterToIssuer?: boolean;
  readonly crlDistributionPoints?: readonly string[];
  readonly ocspServers?: readonly string[];
  readonly issuingCertificateUrls?: readonly string[];
}

export interface SignedCertificate {
  readonly pem: string;
  readonly der: Uint8Array;
  readonly template: CertificateTemplate;
}

interface Issuer {
  readonly name: Uint8Array;
  readonly keyId: Uint8Array;
  readonly certificate: CertificateView | undefined;
}

type Validator = (
  csr: ParsedCsr,
  input: SignCertificateInput,
  issuerCert: CertificateView | undefined,
) => FieldIssue[];
type Enforcer = (
  template: CertificateTemplate,
  input: SignCertificateInput,
  issuer: Issuer,
) => CertificateTemplate;

const issue = (field: string, rule: string, message: string): FieldIssue[] => [{ field, rule, message }];

// Validators are named after the violation they detect; each returns the issues it found.
const validators: readonly Validator[] = [
  function requestHasNoIdentity(csr) {
    return csr.subject.fields.commonName || hasSans(csr.sans)
      ? []
      : issue("spec.request", "noIdentity", "CSR has neither a common name nor any subject alternative name");
  },
  function durationNotPositive(_csr, input) {
    return input.duration === undefined || input.duration > 0
      ? []
      : issue("spec.duration", "positive", "duration must be positive");
  },
  function serialNumberInvalid(_csr, input) {
    try {
      assertSerialNumber(input.serialNumber);
      return [];
    } catch (error) {
      return [...(error as ValidationError).issues];
    }
  },
  function selfSignedKeyDoesNotMatchCsr(csr, input) {
    return input.signer.kind === "selfSigned" && !publicKeysMatch(input.signer.privateKey, csr.publicKey)
      ? issue("signer.privateKey", "keyMismatch", "self-signing key does not match the CSR public key")
      : [];
  },
  function issuerIsNotCA(_csr, _input, issuerCert) {
    if (!issuerCert) return [];
    const canSign =
      issuerCert.isCA &&
      (issuerCert.keyUsage === undefined || (issuerCert.keyUsage & KEY_USAGE_BITS.keyCertSign) !== 0);
    return canSign ? [] : issue("signer.certificatePem", "notCA", "issuer certificate is not a signing CA");
  },
  function issuerKeyDoesNotMatchCertificate(_csr, input, issuerCert) {
    return issuerCert && !publicKeysMatch(input.signer.privateKey, issuerCert.publicKey)
      ? issue("signer.privateKey", "keyMismatch", "issuer private key does not match the issuer certificate")
      : [];
  },
  function signatureAlgorithmIncompatible(_csr, input) {
    try {
      signatureAlgorithmFor(input.signer.privateKey, input.signatureAlgorithm, "spec.signatureAlgorithm");
      return [];
    } catch (error) {
      return [...(error as ValidationError).issues];
    }
  },
];

const enforcers: readonly Enforcer[] = [
  function capNotAfterToIssuer(template, input, issuer) {
    const limit = issuer.certificate?.notAfter;
    return input.capNotAfterToIssuer && limit && template.notAfter > limit
      ? { ...template, notAfter: limit }
      : template;
  },
];

// A CA issuer signs many requests with the same certificate, and parsing it took a fifth of an
// issuance (issue 14). Views are frozen and read-only, so one parse can serve every request; the
// bound keeps a process that sees many CAs (or CA rotations) from holding them all.
const ISSUER_CACHE_SIZE = 64;
const issuerCertificates = new Map<string, CertificateView>();

function issuerCertificate(pem: string): CertificateView {
  const cached = issuerCertificates.get(pem);
  if (cached) return cached;
  const view = parseCertificate(pem, "signer.certificatePem");
  if (issuerCertificates.size >= ISSUER_CACHE_SIZE) {
    // Maps iterate in insertion order: drop the oldest entry.
    issuerCertificates.delete(issuerCertificates.keys().next().value!);
  }
  issuerCertificates.set(pem, view);
  return view;
}

function issuerOf(
  input: SignCertificateInput,
  csr: ParsedCsr,
  issuerCert: CertificateView | undefined,
): Issuer {
  if (!issuerCert)
    return { name: csr.subject.der, keyId: keyIdentifier(csr.publicKey), certificate: undefined };
  const keyId = issuerCert.subjectKeyId
    ? new Uint8Array(Buffer.from(issuerCert.subjectKeyId, "hex"))
    : keyIdentifier(input.signer.privateKey);
  return { name: issuerCert.subject.der, keyId, certificate: issuerCert };
}

/**
 * Signs a CSR in smallstep's fixed phases: check the CSR signature → validate → build the template →
 * enforce issuer limits → sign. Nothing changes the template after the enforcers ran.
 */
export async function signCertificate(
  input: SignCertificateInput,
  encoder: CertificateEncoder = derCertificateEncoder,
): Promise<SignedCertificate> {
  const csr = parseCsr(input.csrPem);
  if (!(await verifyCsrSignature(csr))) {
    throw ValidationError.of(
      "spec.request",
      "signature",
      "CSR signature does not verify with its public key",
    );
  }

  const issuerCert = input.signer.kind === "ca" ? issuerCertificate(input.signer.certificatePem) : undefined;
  const issues = validators.flatMap((check) => check(csr, input, issuerCert));
  if (issues.length > 0) throw new ValidationError(issues);

  const issuer = issuerOf(input, csr, issuerCert);
  const template = enforcers.reduce(
    (current, enforce) => enforce(current, input, issuer),
    certificateTemplateFromCsr(csr, input),
  );

  const toSign: CertificateToSign = {
    template,
    issuer: issuer.name,
    subjectKeyId: keyIdentifier(template.publicKey),
    authorityKeyId: issuer.keyId,
    signatureAlgorithm: signatureAlgorithmFor(input.signer.privateKey, input.signatureAlgorithm),
    crlDistributionPoints: input.crlDistributionPoints ?? [],
    ocspServers: input.ocspServers ?? [],
    issuingCertificateUrls: input.issuingCertificateUrls ?? [],
  };
  const der = await encoder.encode(toSign, input.signer.privateKey);
  return { pem: toPem("CERTIFICATE", der), der, template };
}
