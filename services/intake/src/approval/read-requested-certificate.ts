// Gathers what the policy rules judge from a stored request: its CSR decoded, with the spec's
// duration, usages and isCA. Decoding never throws here: a CSR that cannot be read is a fact the
// policies that select the request deny on.
import { parseGoDuration } from "@certplane/domain";
import { emptySubject, type RequestReading } from "@certplane/domain/approval";
import type { ExistingCertificateRequest } from "@certplane/domain/model";
import { DEFAULT_DURATION_MS, parseCsr } from "@certplane/pki";

export function readRequestedCertificate(request: ExistingCertificateRequest): RequestReading {
  try {
    const csr = parseCsr(request.spec.request);
    const { commonName, serialNumber, ...lists } = csr.subject.fields;
    const duration = request.spec.duration;
    return {
      ok: true,
      request: {
        ...(commonName === undefined ? {} : { commonName }),
        subject: { ...emptySubject, ...lists, ...(serialNumber === undefined ? {} : { serialNumber }) },
        dnsNames: csr.sans.dnsNames,
        ipAddresses: csr.sans.ipAddresses,
        uris: csr.sans.uris,
        emailAddresses: csr.sans.emailAddresses,
        isCA: request.spec.isCA === true || csr.isCA === true,
        // approver-policy judges the request's spec.usages, not the CSR's extensions.
        usages: request.spec.usages ?? [],
        durationMs: duration ? parseGoDuration(duration, { field: "spec.duration" }) : DEFAULT_DURATION_MS,
        privateKey: { algorithm: csr.key.algorithm, size: csr.key.size },
      },
    };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
