import { ValidationError } from "@certplane/domain";
import {
  type CertificateSigner,
  type RandomSource,
  randomSerialNumber,
  type SignCertificateInput,
} from "@certplane/pki";
import type { SignOutcome, SignRequest } from "../signer.ts";

export interface IssuerExtensions {
  readonly crlDistributionPoints?: readonly string[];
  readonly ocspServers?: readonly string[];
  readonly issuingCertificateUrls?: readonly string[];
  /** Never let a leaf outlive the CA that signed it: a chain past the CA's notAfter never verifies. */
  readonly capNotAfterToIssuer?: boolean;
}

export function describeIssues(error: ValidationError): string {
  return error.issues.map((issue) => issue.message).join("; ");
}

/** The pki signing input for a request: validity starts at the request's notBefore, serial is random. */
export function signingInput(
  request: SignRequest,
  signer: CertificateSigner,
  random: RandomSource,
  extensions: IssuerExtensions,
): SignCertificateInput {
  return {
    csrPem: request.csrPem,
    ...(request.durationMs === undefined ? {} : { duration: request.durationMs }),
    isCA: request.isCA,
    ...(request.usages === undefined ? {} : { usages: request.usages }),
    notBefore: request.notBefore,
    serialNumber: randomSerialNumber(random),
    signer,
    ...extensions,
  };
}

/**
 * What a pki rejection means for the request: a problem with the request's own fields can never be
 * signed (invalid); any other refusal is the signer's (failed, with the issuer's reason). Anything
 * that is not a rejection propagates so the event is retried.
 */
export function rejection(
  error: unknown,
  failure: { readonly reason: string; readonly message: string },
): SignOutcome {
  if (!(error instanceof ValidationError)) throw error;
  const requestIssues = error.issues.filter((issue) => issue.field.startsWith("spec."));
  if (requestIssues.length > 0) {
    return {
      kind: "invalid",
      reason: "InvalidRequest",
      message: `Error generating certificate template: ${describeIssues(new ValidationError(requestIssues))}`,
    };
  }
  return { kind: "failed", reason: failure.reason, message: `${failure.message}: ${describeIssues(error)}` };
}
