import type { CertificateDetails, InspectSecretResponse } from "@certplane/api";
import { secretDecider, streams } from "@certplane/domain/model";
import { type CertificateView, decodeUsages, parseCertificateChain, verifyChain } from "@certplane/pki";
import type { IntakeContext } from "../intake-context.ts";
import { notFound } from "../kinds.ts";

function details(view: CertificateView): CertificateDetails {
  return {
    subject: view.subject.dn,
    issuer: view.issuer.dn,
    serialNumber: view.serialNumber,
    notBefore: view.notBefore.toISOString(),
    notAfter: view.notAfter.toISOString(),
    dnsNames: view.sans.dnsNames,
    ipAddresses: view.sans.ipAddresses,
    uris: view.sans.uris,
    emailAddresses: view.sans.emailAddresses,
    isCA: view.isCA,
    keyAlgorithm: view.key.algorithm,
    keySize: view.key.size,
    signatureAlgorithm: view.signatureAlgorithm ?? "Unknown",
    keyUsages: decodeUsages(view.keyUsage ?? 0, []),
    extKeyUsages: decodeUsages(0, view.extKeyUsages),
    sha1Fingerprint: view.fingerprints.sha1,
    sha256Fingerprint: view.fingerprints.sha256,
  };
}

/** cmctl inspect secret: what the Secret's certificates say, and whether the chain leads to its CA. Never the key. */
export async function inspectSecret(
  context: IntakeContext,
  request: { readonly name: string; readonly namespace: string },
): Promise<InspectSecretResponse> {
  const namespace = request.namespace || "default";
  const { state } = await context.runner.load(streams.secret(namespace, request.name), secretDecider);
  if (state.status !== "present") throw notFound("Secret", request.name);
  const { data, sealedData, annotations } = state.content;
  const chainPem = data["tls.crt"] ?? "";
  const caPem = data["ca.crt"];
  const ca = caPem ? parseCertificateChain(caPem, "ca.crt")[0] : undefined;
  const chain = parseCertificateChain(chainPem, "tls.crt");
  const verification =
    ca && chain.length > 0 ? verifyChain(chainPem, caPem!, context.clock.now()) : undefined;
  return {
    name: request.name,
    namespace,
    annotations: annotations ?? {},
    chain: chain.map(details),
    ...(ca ? { ca: details(ca) } : {}),
    ...(verification
      ? {
          chainVerifiesAgainstCa: verification.ok
            ? { ok: true }
            : { ok: false, reason: verification.message },
        }
      : {}),
    hasPrivateKey: sealedData["tls.key"] !== undefined,
  };
}
