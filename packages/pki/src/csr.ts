import { createPublicKey, type KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { type DistinguishedName, decodeName, encodeName, type SubjectFields } from "./distinguished-name.ts";
import { describeKey, type KeyDescription } from "./keys.ts";
import { type NameConstraintsSpec, nameConstraintsExtension } from "./name-constraints.ts";
import { singlePemBlock, toPem } from "./pem.ts";
import { type SignatureAlgorithm, signatureAlgorithmFor, webCryptoSigner } from "./signature-algorithm.ts";
import { encodeUsages } from "./usages.ts";
import {
  type Extension,
  Name,
  Pkcs10CertificateRequest,
  Pkcs10CertificateRequestGenerator,
  x509Crypto,
} from "./x509.ts";
import {
  basicConstraintsExtension,
  extKeyUsageExtension,
  hasSans,
  keyUsageExtension,
  OID,
  type OtherName,
  readKnownExtensions,
  type SubjectAltNames,
  subjectAltNameExtension,
} from "./x509-extensions.ts";

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
  const extensions: Extension[] = [];
  // RFC 5280 §4.2.1.6: with an empty subject the SAN extension carries the identity and is critical.
  if (hasSans(sans)) extensions.push(subjectAltNameExtension(sans, isEmptyName(subject)));
  if (template.encodeUsagesInRequest ?? true) {
    const usages = encodeUsages(template.usages ?? [], template.isCA ?? false);
    if (usages.keyUsage !== 0) extensions.push(keyUsageExtension(usages.keyUsage));
    if (usages.extKeyUsages.length > 0) extensions.push(extKeyUsageExtension(usages.extKeyUsages));
  }
  if (template.isCA) extensions.push(basicConstraintsExtension(true));
  if (template.nameConstraints) extensions.push(nameConstraintsExtension(template.nameConstraints));
  const signer = await webCryptoSigner(
    privateKey,
    signatureAlgorithmFor(privateKey, template.signatureAlgorithm),
  );
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name: new Name(subject),
      extensions,
      signingAlgorithm: signer.algorithm,
      keys: { privateKey: signer.key, publicKey: signer.publicKey },
    },
    x509Crypto,
  );
  return toPem("CERTIFICATE REQUEST", new Uint8Array(csr.rawData));
}

export function parseCsr(pem: string, field = "spec.request"): ParsedCsr {
  const der = singlePemBlock(pem, "CERTIFICATE REQUEST", field);
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(der);
  } catch (cause) {
    throw new ValidationError([{ field, rule: "decode", message: "CSR is not valid PKCS#10 DER" }], {
      cause,
    });
  }
  const publicKey = csrPublicKey(csr, field);
  const known = readKnownExtensions(csr.extensions);
  return {
    der,
    subject: decodeName(csr.subjectName.toArrayBuffer()),
    sans: known.sans,
    publicKey,
    key: describeKey(publicKey),
    isCA: known.isCA,
    keyUsage: known.keyUsage,
    extKeyUsages: known.extKeyUsages,
    nameConstraints: requestedExtension(csr.extensions, OID.nameConstraints),
  };
}

/** The request's SubjectPublicKeyInfo as a KeyObject; one node:crypto cannot read is the request's fault. */
function csrPublicKey(csr: Pkcs10CertificateRequest, field: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" });
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

/** Checks the CSR's self-signature (proof of possession of the private key). */
export async function verifyCsrSignature(csr: ParsedCsr): Promise<boolean> {
  try {
    return await new Pkcs10CertificateRequest(csr.der).verify(x509Crypto);
  } catch {
    return false;
  }
}

function requestedExtension(extensions: readonly Extension[], oid: string): RequestedExtension | undefined {
  const extension = extensions.find((e) => e.type === oid);
  return extension && { critical: extension.critical, value: new Uint8Array(extension.value) };
}

// An empty DER SEQUENCE is 0x30 0x00.
export function isEmptyName(der: Uint8Array): boolean {
  return der.length === 2;
}
