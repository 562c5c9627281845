import { X509Certificate as NodeX509Certificate } from "node:crypto";
import { type CertificateView, parseCertificateChain } from "./certificate-view.ts";
import { KEY_USAGE_BITS } from "./usages.ts";

export type ChainFailureReason =
  | "NoCertificate"
  | "NotYetValid"
  | "Expired"
  | "IssuerNotFound"
  | "IssuerNotCA"
  | "IssuerCannotSign"
  | "BadSignature";

export type ChainVerification =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: ChainFailureReason; readonly message: string };

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b);

function fail(reason: ChainFailureReason, message: string): ChainVerification {
  return { ok: false, reason, message };
}

function validityProblem(cert: CertificateView, at: Date): ChainVerification | undefined {
  if (at < cert.notBefore)
    return fail("NotYetValid", `${cert.subject.dn} is not valid before ${cert.notBefore.toISOString()}`);
  if (at > cert.notAfter)
    return fail("Expired", `${cert.subject.dn} expired at ${cert.notAfter.toISOString()}`);
  return undefined;
}

function issuerProblem(cert: CertificateView, issuer: CertificateView): ChainVerification | undefined {
  if (!issuer.isCA) return fail("IssuerNotCA", `${issuer.subject.dn} is not a CA`);
  if (issuer.keyUsage !== undefined && (issuer.keyUsage & KEY_USAGE_BITS.keyCertSign) === 0) {
    return fail("IssuerCannotSign", `${issuer.subject.dn} lacks the cert sign key usage`);
  }
  if (!new NodeX509Certificate(cert.der).verify(issuer.publicKey)) {
    return fail("BadSignature", `signature of ${cert.subject.dn} does not verify with ${issuer.subject.dn}`);
  }
  return undefined;
}

/**
 * Verifies leaf → intermediates → one of the trusted CAs at time `at`: signatures, validity
 * periods and CA flags. Name constraints, policies and revocation are not checked.
 */
export function verifyChain(leafAndChainPem: string, caPem: string, at: Date): ChainVerification {
  const chain = parseCertificateChain(leafAndChainPem);
  const roots = parseCertificateChain(caPem, "ca");
  if (chain.length === 0) return fail("NoCertificate", "no certificate in the chain PEM");
  for (let i = 0; ; i++) {
    const cert = chain[i]!;
    const invalid = validityProblem(cert, at);
    if (invalid) return invalid;
    if (roots.some((r) => sameBytes(r.der, cert.der))) return { ok: true };
    const next = chain[i + 1];
    if (next && sameBytes(next.subject.der, cert.issuer.der)) {
      const problem = issuerProblem(cert, next);
      if (problem) return problem;
      continue;
    }
    const candidates = roots.filter((r) => sameBytes(r.subject.der, cert.issuer.der));
    if (candidates.length === 0) return fail("IssuerNotFound", `no trusted CA named ${cert.issuer.dn}`);
    const problems = candidates.map((root) => issuerProblem(cert, root) ?? validityProblem(root, at));
    return problems.includes(undefined) ? { ok: true } : problems[0]!;
  }
}
