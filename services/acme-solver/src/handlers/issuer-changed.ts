import type { RecordedEvent } from "@certplane/domain";
import { isCertplaneError } from "@certplane/domain";
import { issuerDecider, issuerReadyCondition } from "@certplane/domain/model";
import { acmeIssuerView } from "../acme-issuer.ts";
import { causedBy, type SolverContext } from "../solver-context.ts";

/**
 * An ACME issuer that is not Ready for its generation registers its account, so that Ready says
 * whether it works. Runs on the accounts work queue, never inside the issuer subscription: a
 * transport failure is rethrown for a backoff retry of this issuer alone, while other issuers go on.
 */
export async function registerIssuerAccount(
  ctx: SolverContext,
  stream: string,
  cause: RecordedEvent | undefined,
): Promise<void> {
  const { state } = await ctx.runner.load(stream, issuerDecider);
  const issuer = acmeIssuerView(stream, state, ctx.config.clusterResourceNamespace);
  if (!issuer || issuerReadyCondition(issuer.issuer).status === "True") return;
  try {
    await ctx.accounts.clientFor(issuer, causedBy(ctx, cause));
  } catch (error) {
    // The failure is on the issuer's Ready condition already; only transport failures deserve a retry.
    if (isCertplaneError(error) && error.retryable) throw error;
  }
}
