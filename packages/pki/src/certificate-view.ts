import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { type DistinguishedName, decodeName } from "./distinguished-name.ts";
import { describeKey, type KeyDescription } from "./keys.ts";
import { pemBlocks, toPem } from "./pem.ts";
import type { SignatureAlgorithm } from "./signature-algorithm.ts";
import { decodeUsages } from "./usages.ts";
import { X509Certificate } from "./x509.ts";
import { type KnownExtensions, readKnownExtensions } from "./x509-extension-reader.ts";
import type { SubjectAltNames } from "./x509-extensions.ts";

/** A read-only parsed certificate; nothing here can change the DER it came from. */
export interface CertificateView {
  readonly pem: string;
  readonly der: Uint8Array;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly sans: SubjectAltNames;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex without leading zero octets. */
  readonly serialNumber: string;
  readonly publicKey: KeyObject;
  readonly key: KeyDescription;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  readonly isCA: boolean;
  /** KeyUsage bits, undefined when the extension is absent (any use allowed). */
  readonly keyUsage: number | undefined;
  readonly extKeyUsages: readonly string[];
  /** Key usages and extended key usages as cert-manager usage strings. */
  readonly usages: readonly string[];
  readonly fingerprints: { readonly sha1: string; readonly sha256: string };
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
}

const signatureAlgorithms: Readonly<Record<string, SignatureAlgorithm>> = {
  "RSASSA-PKCS1-v1_5/SHA-256": "SHA256WithRSA",
  "RSASSA-PKCS1-v1_5/SHA-384": "SHA384WithRSA",
  "RSASSA-PKCS1-v1_5/SHA-512": "SHA512WithRSA",
  "ECDSA/SHA-256": "ECDSAWithSHA256",
  "ECDSA/SHA-384": "ECDSAWithSHA384",
  "ECDSA/SHA-512": "ECDSAWithSHA512",
  "Ed25519/": "PureEd25519",
};

/** Parses DER or the first certificate of a PEM bundle. */
export function parseCertificate(pemOrDer: string | Uint8Array, field = "certificate"): CertificateView {
  const der =
    typeof pemOrDer === "string" ? pemBlocks(pemOrDer).find((b) => b.label === "CERTIFICATE")?.der : pemOrDer;
  if (!der) throw ValidationError.of(field, "pem", "no CERTIFICATE PEM block found");
  let cert: X509Certificate;
  let known: KnownExtensions;
  try {
    cert = new X509Certificate(der);
    known = readKnownExtensions(
      cert.extensions.map((e) => ({ oid: e.type, critical: e.critical, value: new Uint8Array(e.value) })),
    );
  } catch (cause) {
    throw new ValidationError([{ field, rule: "decode", message: "certificate is not valid X.509 DER" }], {
      cause,
    });
  }
  const publicKey = createPublicKey({
    key: Buffer.from(cert.publicKey.rawData),
    format: "der",
    type: "spki",
  });
  const sig = cert.signatureAlgorithm as { name: string; hash?: { name: string } };
  const extKeyUsages = known.extKeyUsages ?? [];
  return Object.freeze({
    pem: toPem("CERTIFICATE", der),
    der,
    subject: decodeName(cert.subjectName.toArrayBuffer()),
    issuer: decodeName(cert.issuerName.toArrayBuffer()),
    sans: known.sans,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialNumber: cert.serialNumber.toLowerCase(),
    publicKey,
    key: describeKey(publicKey),
    signatureAlgorithm: signatureAlgorithms[`${sig.name}/${sig.hash?.name ?? ""}`],
    isCA: known.isCA ?? false,
    keyUsage: known.keyUsage,
    extKeyUsages,
    usages: decodeUsages(known.keyUsage ?? 0, extKeyUsages),
    fingerprints: {
      sha1: createHash("sha1").update(der).digest("hex"),
      sha256: createHash("sha256").update(der).digest("hex"),
    },
    subjectKeyId: known.subjectKeyId,
    authorityKeyId: known.authorityKeyId,
  });
}

/** Every certificate of a PEM bundle, in order (leaf first for tls.crt). */
export function parseCertificateChain(pem: string, field = "certificate"): CertificateView[] {
  return pemBlocks(pem)
    .filter((b) => b.label === "CERTIFICATE")
    .map((b) => parseCertificate(b.der, field));
}
