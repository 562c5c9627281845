import type { AcmeChallengeSolver } from "@certplane/domain";
import type { ChallengeState, ExistingOrder } from "@certplane/domain/model";
import { certificateRequestDecider, challengeDecider, orderDecider, streams } from "@certplane/domain/model";
import type { AcmeIssuerView } from "../acme-issuer.ts";
import { loadAcmeIssuer } from "../acme-issuer.ts";
import type { SolverContext } from "../solver-context.ts";
import { pendingAuthorizations, planChallenge } from "./challenge-plan.ts";
import type { OrderStepInput } from "./order-step-input.ts";

/** The facts of one pass over an Order, and the streams and issuer its steps act on. */
export interface GatheredOrder {
  readonly input: OrderStepInput;
  readonly requestStream: string;
  readonly issuer: AcmeIssuerView | undefined;
}

/** Reads the Order, its request, its issuer and its planned Challenges; undefined without an Order. */
export async function gatherOrder(ctx: SolverContext, stream: string): Promise<GatheredOrder | undefined> {
  const { state: order } = await ctx.runner.load(stream, orderDecider);
  if (order.status !== "present") return undefined;
  const requestStream = streams.certificateRequest(order.meta.namespace, order.meta.requestName);
  const { state: request } = await ctx.runner.load(requestStream, certificateRequestDecider);
  const issuer = await loadAcmeIssuer(
    ctx.runner,
    order.meta.namespace,
    order.spec.issuerRef,
    ctx.config.clusterResourceNamespace,
  );
  const solvers = issuer?.acme.solvers ?? [];
  return {
    input: {
      order,
      requestPhase: request.status === "present" ? request.phase : undefined,
      issuer: issuer && { solvers, preferredChain: issuer.acme.preferredChain },
      challenges: issuer ? await plannedChallenges(ctx, order, solvers) : new Map(),
    },
    requestStream,
    issuer,
  };
}

async function plannedChallenges(
  ctx: SolverContext,
  order: ExistingOrder,
  solvers: readonly AcmeChallengeSolver[],
): Promise<ReadonlyMap<string, ChallengeState>> {
  const names = pendingAuthorizations(order).flatMap((authorization) => {
    const plan = planChallenge(order, authorization, solvers);
    return "name" in plan ? [plan.name] : [];
  });
  const loaded = await Promise.all(
    names.map(async (name) => {
      const { state } = await ctx.runner.load(
        streams.challenge(order.meta.namespace, name),
        challengeDecider,
      );
      return [name, state] as const;
    }),
  );
  return new Map(loaded);
}
