import type { RecordedEvent } from "@certplane/domain";
import type { CertificateRequestCommand, ExistingCertificateRequest } from "@certplane/domain/model";
import { certificateRequestDecider } from "@certplane/domain/model";
import { contextFromEvent, type Logger } from "@certplane/runtime";
import { type ApprovalInput, type ApprovalPolicy, decideApproval } from "../approval/approval-policy.ts";
import { readRequestedCertificate } from "../approval/read-requested-certificate.ts";
import { type OwnerWrites, writeFor } from "../owner-writes.ts";

function approvalInput(request: ExistingCertificateRequest): ApprovalInput {
  const { issuerRef } = request.spec;
  return {
    namespace: request.meta.namespace ?? "default",
    name: request.meta.name,
    issuerRef: {
      name: issuerRef.name,
      kind: issuerRef.kind || "Issuer",
      group: issuerRef.group || "cert-manager.io",
    },
    annotations: request.meta.annotations ?? {},
    requested: readRequestedCertificate(request),
  };
}

/**
 * The approver: each new CertificateRequest goes through the policy chain once. Deciding from the
 * request's current state makes a redelivered event a no-op.
 */
export function approveCertificateRequest(deps: {
  readonly writes: OwnerWrites;
  /** The approver's own identity: approval is automatic work of intake. */
  readonly actor: string;
  readonly policy: ApprovalPolicy;
  readonly logger: Logger;
}): (event: RecordedEvent) => Promise<void> {
  return async (event) => {
    if (event.type !== "CertificateRequestCreated") return;
    let verdict: ReturnType<typeof decideApproval> | undefined;
    // Requests belong to the signer: the verdict is sent to it as a command.
    const { events } = await writeFor(
      deps.writes,
      event.stream,
      certificateRequestDecider,
      (state, now): CertificateRequestCommand | undefined => {
        if (state.status !== "present" || state.approved || state.denied || state.phase !== "pending")
          return undefined;
        verdict = decideApproval(deps.policy, approvalInput(state));
        if (verdict.decision === "abstain") return undefined;
        return {
          type: verdict.decision === "approve" ? "ApproveCertificateRequest" : "DenyCertificateRequest",
          reason: verdict.reason,
          message: verdict.message,
          now: now.toISOString(),
        };
      },
      contextFromEvent(event, deps.actor),
    );
    if (events.length > 0 && verdict) {
      deps.logger.info("certificate request decided", {
        stream: event.stream,
        decision: verdict.decision,
        check: verdict.check,
      });
    }
  };
}

/** A request the approver could not judge fails with the reason, rather than waiting unapproved for ever. */
export function failUnjudgedRequest(deps: { readonly writes: OwnerWrites; readonly actor: string }) {
  return async (event: RecordedEvent, error: unknown): Promise<void> => {
    await writeFor(
      deps.writes,
      event.stream,
      certificateRequestDecider,
      (state, now): CertificateRequestCommand | undefined =>
        state.status === "present" && !state.approved && !state.denied
          ? {
              type: "FailCertificateRequest",
              reason: "ApprovalError",
              message: `The approver could not decide on this request: ${error instanceof Error ? error.message : String(error)}`,
              now: now.toISOString(),
            }
          : undefined,
      contextFromEvent(event, deps.actor),
    );
  };
}
