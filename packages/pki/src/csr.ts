import type { KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { type CsrParts, encodeCsr, readCsr, requestedExtensions } from "./der-csr.ts";
import { RSASSA_PSS_OID, signatureAlgorithmOfOid, verifyDer, verifyRsaPss } from "./der-signature.ts";
import {
  basicConstraintsExtension,
  extKeyUsageExtension,
  keyUsageExtension,
  requestedNameConstraintsExtension,
  subjectAltNameExtension,
} from "./der-x509-extensions.ts";
import { type DistinguishedName, decodeName, encodeName, type SubjectFields } from "./distinguished-name.ts";
import { describeKey, type KeyDescription } from "./keys.ts";
import { type NameConstraintsSpec, nameConstraintsExtension } from "./name-constraints.ts";
import { singlePemBlock, toPem } from "./pem.ts";
import { publicKeyFromSpki } from "./public-key-info.ts";
import { type SignatureAlgorithm, signatureAlgorithmFor } from "./signature-algorithm.ts";
import { encodeUsages } from "./usages.ts";
import { type KnownExtensions, type RawExtension, readKnownExtensions } from "./x509-extension-reader.ts";
import { hasSans, OID, type OtherName, type SubjectAltNames } from "./x509-extensions.ts";

/** What a Certificate asks for, as cert-manager puts it into the CSR. */
export interface CsrTemplate {
  readonly subject?: SubjectFields;
  /** A DER Name written as is instead of `subject` (spec.literalSubject, see encodeLiteralSubject). */
  readonly rawSubject?: Uint8Array;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly uris?: readonly string[];
  readonly emailAddresses?: readonly string[];
  /** spec.otherNames (UPN and the like): otherName SANs with a UTF8String value. */
  readonly otherNames?: readonly OtherName[];
  readonly isCA?: boolean;
  readonly usages?: readonly string[];
  /** false omits the KeyUsage/ExtKeyUsage extensions (spec.encodeUsagesInRequest). Default true. */
  readonly encodeUsagesInRequest?: boolean;
  readonly signatureAlgorithm?: SignatureAlgorithm;
  /** spec.nameConstraints, requested as an extension for the signer to copy (CA certificates only). */
  readonly nameConstraints?: NameConstraintsSpec;
}

/** An extension the signer copies from the CSR into the certificate as it is. */
export interface RequestedExtension {
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface ParsedCsr {
  readonly der: Uint8Array;
  readonly subject: DistinguishedName;
  readonly sans: SubjectAltNames;
  readonly publicKey: KeyObject;
  readonly key: KeyDescription;
  /** Values of the requested extensions; undefined when the CSR does not carry that extension. */
  readonly isCA: boolean | undefined;
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[] | undefined;
  readonly nameConstraints: RequestedExtension | undefined;
}

function sansOf(template: CsrTemplate): SubjectAltNames {
  return {
    dnsNames: template.dnsNames ?? [],
    ipAddresses: template.ipAddresses ?? [],
    uris: template.uris ?? [],
    emailAddresses: template.emailAddresses ?? [],
    ...(template.otherNames?.length ? { otherNames: template.otherNames } : {}),
  };
}

/** Builds and signs a PKCS#10 request with `privateKey`; returns PEM. */
export async function createCsr(template: CsrTemplate, privateKey: KeyObject): Promise<string> {
  const subject = template.rawSubject ?? encodeName(template.subject ?? {});
  const sans = sansOf(template);
  const extensions: Uint8Array[] = [];
  // RFC 5280 §4.2.1.6: with an empty subject the SAN extension carries the identity and is critical.
  if (hasSans(sans)) extensions.push(subjectAltNameExtension(sans, isEmptyName(subject)));
  if (template.encodeUsagesInRequest ?? true) {
    const usages = encodeUsages(template.usages ?? [], template.isCA ?? false);
    if (usages.keyUsage !== 0) extensions.push(keyUsageExtension(usages.keyUsage));
    if (usages.extKeyUsages.length > 0) extensions.push(extKeyUsageExtension(usages.extKeyUsages));
  }
  if (template.isCA) extensions.push(basicConstraintsExtension(true));
  if (template.nameConstraints) {
    const requested = nameConstraintsExtension(template.nameConstraints);
    extensions.push(
      requestedNameConstraintsExtension({
        critical: requested.critical,
        value: new Uint8Array(requested.value),
      }),
    );
  }
  const signatureAlgorithm = signatureAlgorithmFor(privateKey, template.signatureAlgorithm);
  return toPem("CERTIFICATE REQUEST", encodeCsr({ subject, extensions, signatureAlgorithm }, privateKey));
}

export function parseCsr(pem: string, field = "spec.request"): ParsedCsr {
  const der = singlePemBlock(pem, "CERTIFICATE REQUEST", field);
  let parts: CsrParts;
  let extensions: RawExtension[];
  let known: KnownExtensions;
  let subject: DistinguishedName;
  try {
    parts = readCsr(der);
    extensions = requestedExtensions(parts);
    known = readKnownExtensions(extensions);
    // Still @peculiar/x509's Name underneath: the dn text and fields are what it has always printed.
    subject = decodeName(parts.subject);
  } catch (cause) {
    throw new ValidationError([{ field, rule: "decode", message: "CSR is not valid PKCS#10 DER" }], {
      cause,
    });
  }
  const publicKey = csrPublicKey(parts.subjectPublicKeyInfo, field);
  const nameConstraints = extensions.find((e) => e.oid === OID.nameConstraints);
  return {
    der,
    subject,
    sans: known.sans,
    publicKey,
    key: describeKey(publicKey),
    isCA: known.isCA,
    keyUsage: known.keyUsage,
    extKeyUsages: known.extKeyUsages,
    nameConstraints: nameConstraints && {
      critical: nameConstraints.critical,
      value: new Uint8Array(nameConstraints.value),
    },
  };
}

/** The request's SubjectPublicKeyInfo as a KeyObject; one node:crypto cannot read is the request's fault. */
function csrPublicKey(spki: Uint8Array, field: string): KeyObject {
  try {
    return publicKeyFromSpki(spki);
  } catch (cause) {
    throw new ValidationError(
      [
        {
          field,
          rule: "publicKey",
          message:
            "the CSR's public key cannot be read: it must be an RSA, ECDSA or Ed25519 SubjectPublicKeyInfo",
        },
      ],
      { cause },
    );
  }
}

/**
 * Checks the CSR's self-signature (proof of possession of the private key) with `csr.publicKey`,
 * which parseCsr read from the same DER. A signature algorithm certplane does not sign with (see
 * signature-algorithm.ts) does not verify.
 */
export async function verifyCsrSignature(csr: ParsedCsr): Promise<boolean> {
  let parts: CsrParts;
  try {
    parts = readCsr(csr.der);
  } catch {
    return false;
  }
  if (parts.signatureAlgorithm === RSASSA_PSS_OID) {
    return verifyRsaPss(parts.signatureParameters, parts.info, parts.signature, csr.publicKey);
  }
  const algorithm = signatureAlgorithmOfOid(parts.signatureAlgorithm);
  return algorithm !== undefined && verifyDer(algorithm, parts.info, parts.signature, csr.publicKey);
}

// An empty DER SEQUENCE is 0x30 0x00.
export function isEmptyName(der: Uint8Array): boolean {
  return der.length === 2;
}
