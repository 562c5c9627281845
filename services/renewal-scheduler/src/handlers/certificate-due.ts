// A certificate's timer fired (or its events changed what it needs): carry out the plan. Every
// command is guarded, so a stale view, a late timer or a second scheduler instance changes nothing.
import type { CertificateIssuanceCommand } from "@certplane/domain/model";
import { certificateIssuanceDecider, parseStreamName, streams } from "@certplane/domain/model";
import type { AggregateRunner, CommandContext } from "@certplane/runtime";
import type { RenewalPlan } from "../trigger/renewal-plan.ts";
import type { TrackedCertificate } from "../trigger/tracked-certificate.ts";

export async function handleCertificateDue(
  runner: AggregateRunner,
  certificateStream: string,
  certificate: TrackedCertificate,
  plan: RenewalPlan,
  context: CommandContext,
): Promise<void> {
  const { recordRenewal, recordRetry, trigger } = plan;
  const { namespace = "", name } = parseStreamName(certificateStream);
  const stream = streams.certificateIssuance(namespace, name);
  if (recordRenewal) {
    await runner.execute(
      stream,
      certificateIssuanceDecider,
      (_state, now): CertificateIssuanceCommand => ({
        type: "ScheduleRenewal",
        ...recordRenewal,
        now: now.toISOString(),
      }),
      context,
    );
  }
  if (recordRetry) {
    await runner.execute(
      stream,
      certificateIssuanceDecider,
      (_state, now): CertificateIssuanceCommand => ({
        type: "ScheduleIssuanceRetry",
        ...recordRetry,
        now: now.toISOString(),
      }),
      context,
    );
  }
  if (trigger) {
    await runner.execute(
      stream,
      certificateIssuanceDecider,
      (_state, now): CertificateIssuanceCommand => ({
        type: "TriggerIssuance",
        reason: trigger.reason,
        message: trigger.message,
        now: now.toISOString(),
        basedOnRequestCount: certificate.requestCount,
      }),
      context,
    );
  }
}
