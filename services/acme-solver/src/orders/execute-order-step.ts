import type { CertificateRequestCommand, OrderCommand, OrderState } from "@certplane/domain/model";
import { certificateRequestDecider, challengeDecider, orderDecider, streams } from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import type { AcmeClient } from "../acme-client.ts";
import { AcmeRequestError } from "../acme-request-error.ts";
import type { SolverContext } from "../solver-context.ts";
import type { ReconcileResult } from "../work-queue.ts";
import type { OrderStep } from "./order-step.ts";
import type { OrderStepInput } from "./order-step-input.ts";

/** What the steps of one pass over an Order act with. */
export interface OrderPass {
  readonly ctx: SolverContext;
  /** The Order's stream. */
  readonly stream: string;
  readonly requestStream: string;
  readonly context: CommandContext;
  /** The issuer's registered ACME client, opened at most once a pass. */
  readonly client: () => Promise<AcmeClient>;
}

/**
 * A step ends the pass with what the work queue does next, or, when it only learned something
 * (a fetch, a created Challenge, a recorded finalization), hands that back to be decided on.
 */
export type StepOutcome =
  | { readonly kind: "done"; readonly result: ReconcileResult }
  | { readonly kind: "continue"; readonly input: OrderStepInput };

type StepOf<K extends OrderStep["kind"]> = Extract<OrderStep, { readonly kind: K }>;

/** The event the step appended, or the next change, wakes the Order again. */
const awaitChange: StepOutcome = { kind: "done", result: undefined };

const requestSteps: ReadonlySet<OrderStep["kind"]> = new Set([
  "requestNotPending",
  "settleRequest",
  "issuerMissing",
]);

export async function executeOrderStep(
  pass: OrderPass,
  step: OrderStep,
  input: OrderStepInput,
): Promise<StepOutcome> {
  // A step on the ACME order opens the account first, even one that calls no server: a failed
  // registration then retries the whole pass with backoff instead of moving the Order on without it.
  if (!requestSteps.has(step.kind)) await pass.client();
  switch (step.kind) {
    case "requestNotPending":
      return awaitChange;
    case "settleRequest":
      return await settleRequest(pass, step);
    case "issuerMissing":
    case "waitForChallenges":
      return await markPending(pass, step.message);
    case "place":
      return await place(pass, step);
    case "fetchAuthorizations":
      return await fetchAuthorizations(pass, step, input);
    case "recordAuthorizations":
      return await recordAuthorizations(pass, step);
    case "failOrder":
      return await failOrder(pass, step);
    case "createChallenge":
      return await createChallenge(pass, step, input);
    case "fetchOrder":
      return await fetchOrder(pass, step, input);
    case "poll":
      return poll(pass);
    case "finalize":
      return await finalize(pass, step);
    case "recordFinalized":
      return await recordFinalized(pass, step, input);
    case "download":
      return await download(pass, step);
  }
}

async function settleRequest(pass: OrderPass, step: StepOf<"settleRequest">): Promise<StepOutcome> {
  const outcome: CertificateRequestCommand = { ...step.outcome, now: pass.ctx.clock.now().toISOString() };
  await pass.ctx.commands.send(pass.requestStream, outcome, pass.context);
  return awaitChange;
}

/** Read again: the request may have been settled or deleted meanwhile, and a deleted one refuses the command. */
async function markPending(pass: OrderPass, message: string): Promise<StepOutcome> {
  const { state } = await pass.ctx.runner.load(pass.requestStream, certificateRequestDecider);
  if (state.status !== "present" || state.phase !== "pending") return awaitChange;
  const pending: CertificateRequestCommand = {
    type: "MarkCertificateRequestPending",
    reason: "Pending",
    message,
    now: pass.ctx.clock.now().toISOString(),
  };
  await pass.ctx.commands.send(pass.requestStream, pending, pass.context);
  return awaitChange;
}

async function place(pass: OrderPass, step: StepOf<"place">): Promise<StepOutcome> {
  const client = await pass.client();
  const placed = await attempt(pass, "Failed to create Order", () =>
    client.newOrder({
      identifiers: step.identifiers,
      ...(step.lifetimeMs === undefined
        ? {}
        : { notAfter: new Date(pass.ctx.clock.now().getTime() + step.lifetimeMs).toISOString() }),
    }),
  );
  if (placed) {
    await recordOrder(pass, (now) => ({
      type: "RecordOrderPlaced",
      url: placed.url,
      finalizeURL: placed.finalizeUrl,
      authorizationURLs: placed.authorizationUrls,
      state: placed.status,
      now,
    }));
  }
  return awaitChange;
}

async function fetchAuthorizations(
  pass: OrderPass,
  step: StepOf<"fetchAuthorizations">,
  input: OrderStepInput,
): Promise<StepOutcome> {
  const client = await pass.client();
  const authorizations = await attempt(pass, "Failed to fetch authorizations", () =>
    Promise.all(step.urls.map((url) => client.getAuthorization(url))),
  );
  return authorizations ? { kind: "continue", input: { ...input, authorizations } } : awaitChange;
}

async function recordAuthorizations(
  pass: OrderPass,
  step: StepOf<"recordAuthorizations">,
): Promise<StepOutcome> {
  await recordOrder(pass, (now) => ({
    type: "RecordOrderAuthorizations",
    authorizations: step.authorizations,
    now,
  }));
  return awaitChange;
}

async function failOrder(pass: OrderPass, failure: Omit<StepOf<"failOrder">, "kind">): Promise<StepOutcome> {
  await recordOrder(pass, (now) => ({
    type: "FailOrder",
    state: failure.state,
    reason: failure.reason,
    ...(failure.problem ? { problem: failure.problem } : {}),
    now,
  }));
  return awaitChange;
}

async function createChallenge(
  pass: OrderPass,
  step: StepOf<"createChallenge">,
  input: OrderStepInput,
): Promise<StepOutcome> {
  const key = await (await pass.client()).keyAuthorization(step.offer);
  const { state } = await pass.ctx.runner.execute(
    streams.challenge(step.meta.namespace, step.meta.name),
    challengeDecider,
    (current, now) =>
      current.status === "present"
        ? undefined
        : {
            type: "CreateChallenge" as const,
            meta: step.meta,
            spec: { ...step.spec, key },
            now: now.toISOString(),
          },
    pass.context,
  );
  const challenges = new Map(input.challenges).set(step.meta.name, state);
  return { kind: "continue", input: { ...input, challenges } };
}

async function fetchOrder(
  pass: OrderPass,
  step: StepOf<"fetchOrder">,
  input: OrderStepInput,
): Promise<StepOutcome> {
  const client = await pass.client();
  const current = await attempt(pass, "Failed to fetch Order", () => client.getOrder(step.url));
  return current ? { kind: "continue", input: { ...input, current } } : awaitChange;
}

function poll(pass: OrderPass): StepOutcome {
  return { kind: "done", result: { requeueAfterMs: pass.ctx.config.pollIntervalMs } };
}

async function finalize(pass: OrderPass, step: StepOf<"finalize">): Promise<StepOutcome> {
  const client = await pass.client();
  const finalized = await attempt(pass, "Failed to finalize Order", () =>
    client.finalize(step.finalizeUrl, step.csr),
  );
  if (!finalized) return awaitChange;
  await recordOrder(pass, (now) => ({ type: "RecordOrderFinalized", state: finalized.status, now }));
  // The server signs in the background (RFC 8555 §7.4): no event of ours will say when it is done.
  return finalized.status === "processing" ? poll(pass) : awaitChange;
}

async function recordFinalized(
  pass: OrderPass,
  step: StepOf<"recordFinalized">,
  input: OrderStepInput,
): Promise<StepOutcome> {
  const order = await recordOrder(pass, (now) => ({ type: "RecordOrderFinalized", state: step.state, now }));
  return order.status === "present" ? { kind: "continue", input: { ...input, order } } : awaitChange;
}

async function download(pass: OrderPass, step: StepOf<"download">): Promise<StepOutcome> {
  const client = await pass.client();
  const chain = await attempt(pass, "Failed to download certificate", () =>
    client.downloadCertificate(step.certificateUrl, step.preferredChain),
  );
  if (chain) {
    await recordOrder(pass, (now) => ({ type: "RecordOrderCertificate", certificate: chain, now }));
  }
  return awaitChange;
}

/**
 * Runs an ACME call. A 4xx that will not pass on retry (RFC 8555 §6.7) ends the Order `errored`
 * with the server's problem, as cert-manager does, and yields undefined; anything retryable is
 * thrown for the work queue's backoff.
 */
async function attempt<T>(pass: OrderPass, reason: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AcmeRequestError) || error.retryable) throw error;
    await failOrder(pass, { state: "errored", reason, problem: error.problem });
    return undefined;
  }
}

async function recordOrder(pass: OrderPass, command: (now: string) => OrderCommand): Promise<OrderState> {
  const { state } = await pass.ctx.runner.execute(
    pass.stream,
    orderDecider,
    (_s, now) => command(now.toISOString()),
    pass.context,
  );
  return state;
}
