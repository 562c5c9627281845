import { CertplaneError } from "@certplane/domain";
import type { AcmeProblem } from "@certplane/domain/model";
import { describeProblem } from "@certplane/domain/model";

/**
 * A failed ACME request with the server's problem detail. RFC 8555 §6.7: 5xx, 429 and badNonce
 * may pass on retry; other 4xx will not (cert-manager marks the resource `errored`).
 * Transport failures (refused, TLS) carry no status and are retryable.
 */
export class AcmeRequestError extends CertplaneError {
  readonly problem: AcmeProblem;
  /** From Retry-After, when the server said when to come back. */
  readonly retryAfterMs: number | undefined;

  constructor(
    operation: string,
    problem: AcmeProblem,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    const retryable = isRetryableProblem(problem);
    super(retryable ? "TRANSIENT" : "FORBIDDEN", `ACME ${operation} failed: ${describeProblem(problem)}`, {
      retryable,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.problem = problem;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isRetryableProblem(problem: AcmeProblem): boolean {
  if (problem.status === undefined) return true;
  if (problem.status >= 500 || problem.status === 429) return true;
  return problem.type === "urn:ietf:params:acme:error:badNonce";
}
