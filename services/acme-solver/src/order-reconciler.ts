import type { RecordedEvent } from "@certplane/domain";
import { readGoDuration } from "@certplane/domain";
import type {
  CertificateRequestCommand,
  ChallengeState,
  ExistingCertificateRequest,
  ExistingOrder,
  OrderAuthorization,
  OrderCommand,
} from "@certplane/domain/model";
import {
  certificateRequestDecider,
  challengeDecider,
  isChallengeFinal,
  isOrderFinal,
  orderDecider,
  streams,
} from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import type { AcmeClient, AcmeOrderResource } from "./acme-client.ts";
import type { AcmeIssuerView } from "./acme-issuer.ts";
import { loadAcmeIssuer } from "./acme-issuer.ts";
import { AcmeRequestError } from "./acme-request-error.ts";
import { challengeNameFor } from "./names.ts";
import { causedBy, type SolverContext } from "./solver-context.ts";
import { selectSolver } from "./solver-selection.ts";
import type { ReconcileResult } from "./work-queue.ts";

/**
 * One step of an Order (model §4 "Order controller"): place it, fetch its authorizations, make
 * one Challenge per authorization that is not valid yet, finalize, download, then settle the
 * CertificateRequest. Each step is recorded before the next is taken, so a restarted solver
 * continues from the events; the event a step appends wakes the next step.
 */
export async function reconcileOrder(
  ctx: SolverContext,
  stream: string,
  cause: RecordedEvent | undefined,
): Promise<ReconcileResult> {
  const { state: order } = await ctx.runner.load(stream, orderDecider);
  if (order.status !== "present") return undefined;
  const context = causedBy(ctx, cause);
  const requestStream = streams.certificateRequest(order.meta.namespace, order.meta.requestName);
  const { state: request } = await ctx.runner.load(requestStream, certificateRequestDecider);
  if (request.status !== "present" || request.phase !== "pending") return undefined;
  if (isOrderFinal(order)) return await settleRequest(ctx, requestStream, order, context);

  const issuer = await loadAcmeIssuer(
    ctx.runner,
    order.meta.namespace,
    order.spec.issuerRef,
    ctx.config.clusterResourceNamespace,
  );
  if (!issuer) {
    await markPending(
      ctx,
      requestStream,
      `Referenced issuer ${order.spec.issuerRef.name} not found or not an ACME issuer`,
      context,
    );
    return undefined;
  }
  const client = await ctx.accounts.clientFor(issuer, context);
  const step = (command: (now: string) => OrderCommand) =>
    ctx.runner.execute(stream, orderDecider, (_s, now) => command(now.toISOString()), context);

  if (order.url === undefined) {
    const placed = await attempt(ctx, stream, context, "Failed to create Order", () =>
      client.newOrder({ identifiers: identifiersOf(order), ...notAfterOf(ctx, order) }),
    );
    if (placed) {
      await step((now) => ({
        type: "RecordOrderPlaced",
        url: placed.url,
        finalizeURL: placed.finalizeUrl,
        authorizationURLs: placed.authorizationUrls,
        state: placed.status,
        now,
      }));
    }
    return undefined;
  }

  if (order.authorizations === undefined) {
    const fetched = await attempt(ctx, stream, context, "Failed to fetch authorizations", () =>
      Promise.all((order.authorizationURLs ?? []).map((url) => client.getAuthorization(url))),
    );
    if (!fetched) return undefined;
    const authorizations: OrderAuthorization[] = fetched.map((authz) => ({
      url: authz.url,
      identifier: authz.identifier.value,
      identifierType: authz.identifier.type,
      wildcard: authz.wildcard,
      initialState: authz.status,
      challenges: authz.challenges.map(({ url, token, type }) => ({ url, token, type })),
    }));
    const invalid = fetched.find((authz) => authz.status === "invalid");
    if (invalid) {
      const problem = invalid.challenges.find((c) => c.error)?.error;
      await step((now) => ({
        type: "FailOrder" as const,
        state: "invalid",
        reason: `Authorization for "${invalid.identifier.value}" is invalid`,
        ...(problem ? { problem } : {}),
        now,
      }));
      return undefined;
    }
    await step((now) => ({ type: "RecordOrderAuthorizations", authorizations, now }));
    return undefined;
  }

  const pending = order.authorizations.filter((authz) => authz.initialState !== "valid");
  const challenges: ChallengeState[] = [];
  for (const authz of pending) {
    const made = await ensureChallenge(ctx, order, authz, issuer, client, context);
    if (typeof made === "string") {
      await step((now) => ({ type: "FailOrder" as const, state: "errored", reason: made, now }));
      return undefined;
    }
    challenges.push(made);
  }
  const failed = challenges.find((c) => c.status === "present" && isChallengeFinal(c) && c.state !== "valid");
  if (failed?.status === "present") {
    await step((now) => ({
      type: "FailOrder" as const,
      state: "invalid",
      reason: `Challenge ${failed.meta.name} for "${failed.spec.dnsName}" failed`,
      ...(failed.problem ? { problem: failed.problem } : {}),
      now,
    }));
    return undefined;
  }
  if (!challenges.every((c) => c.status === "present" && c.state === "valid")) {
    await markPending(
      ctx,
      requestStream,
      `Waiting on certificate issuance from order ${order.meta.namespace}/${order.meta.name}: "pending"`,
      context,
    );
    return undefined;
  }

  const current = await attempt(ctx, stream, context, "Failed to fetch Order", () =>
    client.getOrder(order.url as string),
  );
  if (!current) return undefined;
  return await finishOrder(ctx, stream, order, current, issuer, client, step, context);
}

async function finishOrder(
  ctx: SolverContext,
  stream: string,
  order: ExistingOrder,
  current: AcmeOrderResource,
  issuer: AcmeIssuerView,
  client: AcmeClient,
  step: (command: (now: string) => OrderCommand) => Promise<unknown>,
  context: CommandContext,
): Promise<ReconcileResult> {
  const poll = { requeueAfterMs: ctx.config.pollIntervalMs };
  switch (current.status) {
    case "pending":
      // All challenges passed but the server has not caught up yet (cert-manager requeues too).
      return poll;
    case "invalid":
      await step((now) => ({
        type: "FailOrder" as const,
        state: "invalid",
        reason: "Order is invalid",
        ...(current.error ? { problem: current.error } : {}),
        now,
      }));
      return undefined;
    case "ready": {
      const finalized = await attempt(ctx, stream, context, "Failed to finalize Order", () =>
        client.finalize(current.finalizeUrl, order.spec.request),
      );
      if (finalized) await step((now) => ({ type: "RecordOrderFinalized", state: finalized.status, now }));
      return finalized?.status === "processing" ? poll : undefined;
    }
    case "processing":
      if (!order.finalized) await step((now) => ({ type: "RecordOrderFinalized", state: "processing", now }));
      return poll;
    case "valid": {
      if (!order.finalized) await step((now) => ({ type: "RecordOrderFinalized", state: "valid", now }));
      const certificateUrl = current.certificateUrl;
      if (!certificateUrl) return poll;
      const chain = await attempt(ctx, stream, context, "Failed to download certificate", () =>
        client.downloadCertificate(certificateUrl, issuer.acme.preferredChain || undefined),
      );
      if (chain) await step((now) => ({ type: "RecordOrderCertificate", certificate: chain, now }));
      return undefined;
    }
    default:
      return poll;
  }
}

/** Runs an ACME call; a 4xx ends the Order as `errored` with the server's problem and yields undefined. */
async function attempt<T>(
  ctx: SolverContext,
  stream: string,
  context: CommandContext,
  reason: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof AcmeRequestError) || error.retryable) throw error;
    await ctx.runner.execute(
      stream,
      orderDecider,
      (_s, now): OrderCommand => ({
        type: "FailOrder",
        state: "errored",
        reason,
        problem: error.problem,
        now: now.toISOString(),
      }),
      context,
    );
    return undefined;
  }
}

async function ensureChallenge(
  ctx: SolverContext,
  order: ExistingOrder,
  authz: OrderAuthorization,
  issuer: AcmeIssuerView,
  client: AcmeClient,
  context: CommandContext,
): Promise<ChallengeState | string> {
  const selected = selectSolver(issuer.acme.solvers ?? [], {
    dnsName: authz.identifier,
    wildcard: authz.wildcard,
    labels: order.meta.labels ?? {},
    offered: authz.challenges.map((c) => c.type),
  });
  if ("reason" in selected) return `Failed to determine a valid solver configuration: ${selected.reason}`;
  const offer = authz.challenges.find((c) => c.type === selected.type.toLowerCase());
  if (!offer) return `the server offers no ${selected.type} challenge for "${authz.identifier}"`;
  const name = challengeNameFor(order.meta.name, authz.url, offer.type);
  const stream = streams.challenge(order.meta.namespace, name);
  const existing = await ctx.runner.load(stream, challengeDecider);
  if (existing.state.status === "present") return existing.state;
  const key = await client.keyAuthorization(offer);
  const { state } = await ctx.runner.execute(
    stream,
    challengeDecider,
    (current, now) =>
      current.status === "present"
        ? undefined
        : {
            type: "CreateChallenge" as const,
            meta: { namespace: order.meta.namespace, name, orderName: order.meta.name },
            spec: {
              url: offer.url,
              authorizationURL: authz.url,
              dnsName: authz.identifier,
              wildcard: authz.wildcard,
              type: selected.type,
              token: offer.token,
              key,
              solver: selected.solver,
              issuerRef: order.spec.issuerRef,
            },
            now: now.toISOString(),
          },
    context,
  );
  return state;
}

async function settleRequest(
  ctx: SolverContext,
  requestStream: string,
  order: ExistingOrder,
  context: CommandContext,
): Promise<ReconcileResult> {
  const now = ctx.clock.now().toISOString();
  const outcome: CertificateRequestCommand =
    order.state === "valid" && order.certificate
      ? { type: "IssueCertificateRequest", certificate: order.certificate, now }
      : {
          type: "FailCertificateRequest",
          reason: "OrderFailed",
          message: `Failed to wait for order resource "${order.meta.name}" to become ready: order is in "${order.state}" state: ${order.reason ?? ""}`,
          now,
        };
  await ctx.commands.send(requestStream, outcome, context);
  return undefined;
}

async function markPending(
  ctx: SolverContext,
  requestStream: string,
  message: string,
  context: CommandContext,
): Promise<void> {
  const { state } = await ctx.runner.load(requestStream, certificateRequestDecider);
  if (!isOpen(state)) return;
  const pending: CertificateRequestCommand = {
    type: "MarkCertificateRequestPending",
    reason: "Pending",
    message,
    now: ctx.clock.now().toISOString(),
  };
  await ctx.commands.send(requestStream, pending, context);
}

function isOpen(state: { status: string }): state is ExistingCertificateRequest {
  return state.status === "present" && (state as ExistingCertificateRequest).phase === "pending";
}

function identifiersOf(order: ExistingOrder): Array<{ type: "dns" | "ip"; value: string }> {
  const names = new Set(order.spec.dnsNames);
  const ips = new Set(order.spec.ipAddresses);
  const cn = order.spec.commonName;
  if (cn && !ips.has(cn)) names.add(cn);
  return [
    ...[...names].map((value) => ({ type: "dns" as const, value })),
    ...[...ips].map((value) => ({ type: "ip" as const, value })),
  ];
}

// The Order carries a duration only when its issuer enabled the duration feature (see
// certificate-request-approved.ts), as cert-manager's order controller trusts Order.spec.duration.
function notAfterOf(ctx: SolverContext, order: ExistingOrder): { notAfter?: string } {
  if (!order.spec.duration) return {};
  const reading = readGoDuration(order.spec.duration);
  return reading.ok ? { notAfter: new Date(ctx.clock.now().getTime() + reading.ms).toISOString() } : {};
}
