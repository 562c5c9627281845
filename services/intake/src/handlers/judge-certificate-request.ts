import type { ApiCaller, JudgeRequest, JudgeResponse } from "@certplane/api";
import { ValidationError } from "@certplane/domain";
import type { CertificateRequestCommand, CertificateRequestState } from "@certplane/domain/model";
import { certificateRequestDecider, streams } from "@certplane/domain/model";
import { apiCommandContext, type IntakeContext } from "../intake-context.ts";
import { notFound } from "../kinds.ts";
import { writeFor } from "../owner-writes.ts";

/** cmctl's refusals: the Approved and Denied conditions, once set, never change. */
function alreadyJudged(approved: boolean): ValidationError {
  return ValidationError.of(
    "status.conditions",
    "alreadyJudged",
    `CertificateRequest is already ${approved ? "approved" : "denied"}`,
  );
}

/** cmctl checks these before it asks the server; API callers get the same refusals, by field. */
function requireVerdict(request: JudgeRequest): void {
  if (!request.name) throw ValidationError.of("name", "required", "name the CertificateRequest to judge");
  if (request.decision !== "approve" && request.decision !== "deny")
    throw ValidationError.of("decision", "oneOf", `must be "approve" or "deny", not "${request.decision}"`);
  const past = request.decision === "approve" ? "approved" : "denied";
  if (!request.reason)
    throw ValidationError.of(
      "reason",
      "required",
      `a reason must be given as to who ${past} this CertificateRequest`,
    );
  if (!request.message)
    throw ValidationError.of(
      "message",
      "required",
      `a message must be given as to why this CertificateRequest is ${past}`,
    );
}

/**
 * `certctl approve` / `certctl deny`: a person's verdict, recorded for the caller. Requests belong
 * to the signer, so the verdict is sent to it as a command, as the automatic approver's is.
 */
export async function judgeCertificateRequest(
  context: IntakeContext,
  request: JudgeRequest,
  caller?: ApiCaller,
): Promise<JudgeResponse> {
  requireVerdict(request);
  const namespace = request.namespace || "default";
  const stream = streams.certificateRequest(namespace, request.name);
  const { events } = await writeFor(
    context,
    stream,
    certificateRequestDecider,
    (state: CertificateRequestState, now): CertificateRequestCommand => {
      if (state.status !== "present") throw notFound("CertificateRequest", request.name);
      if (state.approved || state.denied) throw alreadyJudged(state.approved);
      return {
        type: request.decision === "approve" ? "ApproveCertificateRequest" : "DenyCertificateRequest",
        reason: request.reason,
        message: request.message,
        now: now.toISOString(),
      };
    },
    apiCommandContext(context, caller),
  );
  // The owner decides again on its newest state: an approver may have judged it since intake read it.
  if (events.length === 0) {
    const { state } = await context.runner.load(stream, certificateRequestDecider);
    throw alreadyJudged(state.status !== "absent" && state.approved);
  }
  return { namespace, name: request.name, decision: request.decision };
}
