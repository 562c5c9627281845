import type { RecordedEvent } from "@certplane/domain";
import type { CertificateRequestEvent, ConditionChange } from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import { recordIssuanceFailed } from "../issuing/record-failure.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { loadRequestOfCertificate } from "../requests/request-certificate.ts";

/** The request outcomes that end an issuance without a certificate. */
export const requestFailureEvents = [
  "CertificateRequestFailed",
  "CertificateRequestDenied",
  "CertificateRequestMarkedInvalid",
] as const satisfies readonly CertificateRequestEvent["type"][];

/** Issuing: the request failed, was denied or was refused as invalid; the certificate's issuance fails with its reason. */
export async function handleCertificateRequestFailed(
  ctx: PublisherContext,
  event: RecordedEvent,
): Promise<void> {
  const found = await loadRequestOfCertificate(ctx, event.stream);
  if (found?.certificate.status !== "active") return;
  const { phase } = found.certificate;
  if (phase.kind !== "issuing" || phase.attempt.requestName !== found.requestName) return;
  const { reason, message } = event.data as ConditionChange;
  await recordIssuanceFailed(
    ctx,
    found.certificateStream,
    { requestName: found.requestName, reason, message },
    contextFromEvent(event, ctx.actor),
  );
}
