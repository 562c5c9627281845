// Checks on a user's certificate/key pair before it is imported. Messages never quote the input.
import { type FieldIssue, isCertplaneError } from "@certplane/domain";
import { type CertificateView, parseCertificateChain, parsePrivateKeyPem, publicKeysMatch } from "@certplane/pki";

export interface TlsPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caPem?: string;
}

/** Where each part came from, so issues name the caller's field (`data[tls.key]`, `privateKeyPem`). */
export interface TlsPairFields {
  readonly certificate: string;
  readonly privateKey: string;
  readonly ca: string;
}

function chainOrIssue(pem: string, field: string): CertificateView[] | FieldIssue {
  try {
    const chain = parseCertificateChain(pem, field);
    if (chain.length > 0) return chain;
  } catch (error) {
    if (!isCertplaneError(error)) throw error;
  }
  return { field, rule: "pem", message: "must hold one or more PEM-encoded X.509 certificates" };
}

export function tlsPairIssues(pair: TlsPair, fields: TlsPairFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const chain = chainOrIssue(pair.certificatePem, fields.certificate);
  if (!Array.isArray(chain)) issues.push(chain);
  if (pair.caPem !== undefined) {
    const ca = chainOrIssue(pair.caPem, fields.ca);
    if (!Array.isArray(ca)) issues.push(ca);
  }
  let key: ReturnType<typeof parsePrivateKeyPem> | undefined;
  try {
    key = parsePrivateKeyPem(pair.privateKeyPem);
  } catch (error) {
    if (!isCertplaneError(error)) throw error;
    issues.push({
      field: fields.privateKey,
      rule: "pem",
      message: "must be an unencrypted RSA, ECDSA or Ed25519 private key in PEM form",
    });
  }
  const leaf = Array.isArray(chain) ? chain[0] : undefined;
  if (key && leaf && !publicKeysMatch(key, leaf.publicKey)) {
    issues.push({
      field: fields.privateKey,
      rule: "keyMismatch",
      message: `private key does not match the public key of the certificate in ${fields.certificate}`,
    });
  }
  return issues;
}
