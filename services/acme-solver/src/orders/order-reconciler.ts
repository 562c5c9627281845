import type { RecordedEvent } from "@certplane/domain";
import type { CommandContext } from "@certplane/runtime";
import type { AcmeClient } from "../acme-client.ts";
import { causedBy, type SolverContext } from "../solver-context.ts";
import type { ReconcileResult } from "../work-queue.ts";
import { executeOrderStep, type OrderPass } from "./execute-order-step.ts";
import { type GatheredOrder, gatherOrder } from "./gather-order.ts";
import { nextOrderStep } from "./next-order-step.ts";

/**
 * One pass over an Order (model §4 "Order controller"): gather its facts, let nextOrderStep
 * decide, execute the step. A step that only learned something is decided on again within the
 * pass; one that appended an event or sent a command ends it, and what it recorded wakes the next.
 */
export async function reconcileOrder(
  ctx: SolverContext,
  stream: string,
  cause: RecordedEvent | undefined,
): Promise<ReconcileResult> {
  const gathered = await gatherOrder(ctx, stream);
  if (!gathered) return undefined;
  const pass = orderPass(ctx, stream, gathered, causedBy(ctx, cause));
  let input = gathered.input;
  for (;;) {
    const outcome = await executeOrderStep(pass, nextOrderStep(input), input);
    if (outcome.kind === "done") return outcome.result;
    input = outcome.input;
  }
}

function orderPass(
  ctx: SolverContext,
  stream: string,
  { requestStream, issuer }: GatheredOrder,
  context: CommandContext,
): OrderPass {
  let client: Promise<AcmeClient> | undefined;
  return {
    ctx,
    stream,
    requestStream,
    context,
    // nextOrderStep names a step on the ACME order only after issuerMissing has found the issuer.
    client: () => (client ??= ctx.accounts.clientFor(issuer!, context)),
  };
}
