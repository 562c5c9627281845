import { readGoDuration, ValidationError } from "@certplane/domain";
import type { CertificateRequestSpecFields } from "@certplane/domain/model";
import { parseCsr, verifyCsrSignature } from "@certplane/pki";
import type { SignOutcome } from "../signer.ts";
import { describeIssues } from "./signing.ts";

export type DecodedRequest =
  | { readonly ok: true; readonly durationMs: number | undefined }
  | { readonly ok: false; readonly outcome: SignOutcome };

const invalid = (reason: string, message: string): DecodedRequest => ({
  ok: false,
  outcome: { kind: "invalid", reason, message },
});

/**
 * The first signing phase, the same for every issuer: the CSR must decode and prove possession of
 * its key, and the duration must read as a Go duration. A request failing here can never be signed.
 */
export async function decodeRequest(spec: CertificateRequestSpecFields): Promise<DecodedRequest> {
  let csr: ReturnType<typeof parseCsr>;
  try {
    csr = parseCsr(spec.request);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return invalid("InvalidCSR", `Failed to decode CSR in spec.request: ${describeIssues(error)}`);
  }
  if (!(await verifyCsrSignature(csr))) {
    return invalid("InvalidCSR", "CSR signature does not verify with its public key");
  }
  if (spec.duration === undefined) return { ok: true, durationMs: undefined };
  const duration = readGoDuration(spec.duration, { allowNegative: false });
  if (!duration.ok) return invalid("InvalidRequest", `spec.duration: ${duration.message}`);
  return { ok: true, durationMs: duration.ms };
}
