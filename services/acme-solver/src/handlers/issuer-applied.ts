import type { RecordedEvent } from "@certplane/domain";
import { issuerDecider } from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import { acmeIssuerView } from "../acme-issuer.ts";
import { ACTOR, type SolverContext } from "../solver-context.ts";

/** An ACME issuer (re)applied: register its account so that Ready says whether it works. */
export async function onIssuerApplied(ctx: SolverContext, event: RecordedEvent): Promise<void> {
  const { state } = await ctx.runner.load(event.stream, issuerDecider);
  const issuer = acmeIssuerView(event.stream, state, ctx.config.clusterResourceNamespace);
  if (!issuer) return;
  try {
    await ctx.accounts.clientFor(issuer, contextFromEvent(event, ACTOR));
  } catch (error) {
    // The failure is on the issuer's Ready condition; only transport failures deserve a retry.
    if (error instanceof Error && "retryable" in error && error.retryable) throw error;
  }
}
