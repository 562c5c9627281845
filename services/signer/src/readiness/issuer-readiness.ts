import type { RecordedEvent } from "@certplane/domain";
import { issuerDecider, issuerStatusDecider, objectStreamsOf } from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import { issuerViewOf, signerFor } from "../issuer-view.ts";
import type { Readiness } from "../signer.ts";
import type { SignerContext } from "../signer-context.ts";

/** cert-manager's issuer Setup: asks the issuer's signer whether it can sign, and records the answer. */
export async function refreshIssuerReadiness(
  ctx: SignerContext,
  issuerStream: string,
  cause: RecordedEvent,
): Promise<void> {
  const { state } = await ctx.runner.load(issuerStream, issuerDecider);
  if (state.status !== "active") return;
  const signer = signerFor(ctx.signers, state.spec);
  if (!signer) return;
  const view = issuerViewOf(issuerStream, state, ctx.clusterResourceNamespace);
  // The projection may lag behind this reactor; recording here keeps secret changes from being missed.
  ctx.issuersBySecret.add(issuerStream, signer.secretsOf(view));
  const readiness = await signer.checkReadiness(view);
  await recordReadiness(ctx, issuerStream, state.meta.generation, readiness, cause);
}

/** Records what a readiness check found on the issuer's status stream, which the signer owns. */
export async function recordReadiness(
  ctx: SignerContext,
  issuerStream: string,
  generation: number,
  readiness: Readiness,
  cause: RecordedEvent,
): Promise<void> {
  const statusStream = objectStreamsOf(issuerStream)[1]!;
  const { events } = await ctx.runner.execute(
    statusStream,
    issuerStatusDecider,
    (_current, now) => ({
      type: "SetIssuerReadiness" as const,
      ...readiness,
      // The generation that was checked: if the spec moved on meanwhile, the decider drops this answer.
      generation,
      now: now.toISOString(),
    }),
    contextFromEvent(cause, ctx.actor),
  );
  if (events.length > 0) {
    ctx.logger.info("issuer readiness changed", { issuer: issuerStream, ...readiness });
  }
}
