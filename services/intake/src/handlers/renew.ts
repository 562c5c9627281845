import type { ApiCaller, RenewRequest, RenewResponse } from "@certplane/api";
import { ValidationError } from "@certplane/domain";
import type { CertificateIssuanceCommand } from "@certplane/domain/model";
import { certificateIssuanceDecider, streams } from "@certplane/domain/model";
import { apiCommandContext, type IntakeContext } from "../intake-context.ts";
import { notFound } from "../kinds.ts";
import { writeFor } from "../owner-writes.ts";

interface Target {
  readonly namespace: string;
  readonly name: string;
}

function targetsOf(context: IntakeContext, request: RenewRequest): Target[] {
  const namespace = request.namespace || "default";
  if (request.name) return [{ namespace, name: request.name }];
  if (!request.all) {
    throw ValidationError.of("name", "required", "name a certificate to renew, or renew all of them");
  }
  return [...context.readModel.certificates.entries()].flatMap(([, state]) =>
    state.status === "active" && (request.allNamespaces || state.meta.namespace === namespace)
      ? [{ namespace: state.meta.namespace ?? namespace, name: state.meta.name }]
      : [],
  );
}

/**
 * cmctl renew: start an issuance now. A certificate that is already issuing keeps its current
 * attempt and is not listed as renewed.
 */
export async function renew(
  context: IntakeContext,
  request: RenewRequest,
  caller?: ApiCaller,
): Promise<RenewResponse> {
  const commandContext = apiCommandContext(context, caller);
  const renewed: string[] = [];
  const named = request.name !== undefined && request.name !== "";
  for (const target of targetsOf(context, request)) {
    // The trigger decision belongs to the renewal-scheduler, which owns the issuance record.
    const { events } = await writeFor(
      context,
      streams.certificateIssuance(target.namespace, target.name),
      certificateIssuanceDecider,
      (state, now): CertificateIssuanceCommand | undefined => {
        if (state.status !== "active") {
          // With --all, one deleted since the listing is simply skipped.
          if (named) throw notFound("Certificate", target.name);
          return undefined;
        }
        return {
          type: "TriggerIssuance",
          reason: "ManuallyTriggered",
          message: "Certificate re-issuance manually triggered",
          now: now.toISOString(),
        };
      },
      commandContext,
    );
    if (events.length > 0) renewed.push(`${target.namespace}/${target.name}`);
  }
  return { renewed };
}
