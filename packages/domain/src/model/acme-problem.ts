/**
 * An ACME problem document (RFC 8555 §6.7, RFC 7807) as the server reported it, kept on the
 * Challenge, the Order and the CertificateRequest so that a person sees the server's own words.
 */
export interface AcmeProblem {
  /** `urn:ietf:params:acme:error:…`; absent for transport failures. */
  readonly type?: string;
  readonly detail: string;
  /** HTTP status of the response that carried the problem. */
  readonly status?: number;
}

/** ACME states shared by Orders and Challenges; `errored` is cert-manager's own (a 4xx we gave up on). */
export type AcmeStatus = "pending" | "ready" | "processing" | "valid" | "invalid" | "expired" | "errored";

export type AcmeFailureStatus = "invalid" | "expired" | "errored";

/** `urn:ietf:params:acme:error:rejectedIdentifier` → `rejectedIdentifier`. */
export function problemTypeName(problem: AcmeProblem): string | undefined {
  return problem.type?.replace(/^urn:ietf:params:acme:error:/, "");
}

/** One line a person reads: `403 unauthorized: Non-200 status code from HTTP …`. */
export function describeProblem(problem: AcmeProblem): string {
  const prefix = [problem.status, problemTypeName(problem)].filter((p) => p !== undefined).join(" ");
  return prefix ? `${prefix}: ${problem.detail}` : problem.detail;
}

/** How an Order or a Challenge ended when it did not succeed. */
export interface AcmeFailure {
  readonly state: AcmeFailureStatus;
  /** For a person: what went wrong, followed by the server's own words when it sent a problem. */
  readonly reason: string;
  readonly problem?: AcmeProblem;
  readonly at: string;
}

export function failedWith(command: {
  readonly state: AcmeFailureStatus;
  readonly reason: string;
  readonly problem?: AcmeProblem;
  readonly now: string;
}): AcmeFailure {
  const { state, reason, problem, now } = command;
  return {
    state,
    reason: problem ? `${reason}: ${describeProblem(problem)}` : reason,
    ...(problem ? { problem } : {}),
    at: now,
  };
}
