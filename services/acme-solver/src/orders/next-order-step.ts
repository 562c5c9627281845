import { readGoDuration } from "@certplane/domain";
import type {
  AcmeFailureStatus,
  AcmeProblem,
  ChallengeState,
  ExistingChallenge,
  ExistingOrder,
} from "@certplane/domain/model";
import { isChallengeFinal, isOrderFinal } from "@certplane/domain/model";
import type { AcmeAuthorizationResource, AcmeIdentifier, AcmeOrderResource } from "../acme-client.ts";
import { type ChallengePlan, pendingAuthorizations, planChallenge } from "./challenge-plan.ts";
import type { OrderStep, RequestOutcome } from "./order-step.ts";
import type { OrderIssuerFacts, OrderStepInput } from "./order-step-input.ts";

/**
 * cert-manager's order controller (model §4) as one ordered chain: the request first, then the
 * Order's own record from placing it to its Challenges, then what the server says of the order.
 * The first link with something to do names the step. Steps are recorded one at a time, so a
 * restarted solver decides from the events where it stopped.
 */
export function nextOrderStep(input: OrderStepInput): OrderStep {
  const { order, issuer } = input;
  if (input.requestPhase !== "pending") return { kind: "requestNotPending" };
  if (isOrderFinal(order)) return { kind: "settleRequest", outcome: outcomeOf(order) };
  if (!issuer) {
    const message = `Referenced issuer ${order.spec.issuerRef.name} not found or not an ACME issuer`;
    return { kind: "issuerMissing", message };
  }
  if (order.url === undefined) return placeStep(order);
  if (order.authorizations === undefined) {
    return input.authorizations === undefined
      ? { kind: "fetchAuthorizations", urls: order.authorizationURLs ?? [] }
      : authorizationsStep(input.authorizations);
  }
  const challengeStep = challengesStep(order, issuer, input.challenges);
  if (challengeStep) return challengeStep;
  if (input.current === undefined) return { kind: "fetchOrder", url: order.url };
  return serverStatusStep(order, issuer, input.current);
}

function outcomeOf(order: ExistingOrder): RequestOutcome {
  if (order.state === "valid" && order.certificate) {
    return { type: "IssueCertificateRequest", certificate: order.certificate };
  }
  return {
    type: "FailCertificateRequest",
    reason: "OrderFailed",
    message: `Failed to wait for order resource "${order.meta.name}" to become ready: order is in "${order.state}" state: ${order.reason ?? ""}`,
  };
}

function placeStep(order: ExistingOrder): OrderStep {
  const lifetimeMs = lifetimeOf(order);
  return {
    kind: "place",
    identifiers: identifiersOf(order),
    ...(lifetimeMs === undefined ? {} : { lifetimeMs }),
  };
}

// The CSR must name exactly the order's identifiers (RFC 8555 §7.4), so its common name is ordered
// too: as a DNS name, unless it is one of the IP addresses.
function identifiersOf(order: ExistingOrder): AcmeIdentifier[] {
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
// handlers/certificate-request-approved.ts), as cert-manager's order controller trusts Order.spec.duration.
function lifetimeOf(order: ExistingOrder): number | undefined {
  if (!order.spec.duration) return undefined;
  const reading = readGoDuration(order.spec.duration);
  return reading.ok ? reading.ms : undefined;
}

function authorizationsStep(fetched: readonly AcmeAuthorizationResource[]): OrderStep {
  const invalid = fetched.find((authz) => authz.status === "invalid");
  if (invalid) {
    const problem = invalid.challenges.find((c) => c.error)?.error;
    return failOrder("invalid", `Authorization for "${invalid.identifier.value}" is invalid`, problem);
  }
  const authorizations = fetched.map((authz) => ({
    url: authz.url,
    identifier: authz.identifier.value,
    identifierType: authz.identifier.type,
    wildcard: authz.wildcard,
    initialState: authz.status,
    challenges: authz.challenges.map(({ url, token, type }) => ({ url, token, type })),
  }));
  return { kind: "recordAuthorizations", authorizations };
}

/**
 * Every pending authorization gets its Challenge before any outcome counts, in authorization
 * order; the first that cannot have one fails the Order. Undefined once all are valid.
 */
function challengesStep(
  order: ExistingOrder,
  issuer: OrderIssuerFacts,
  stored: ReadonlyMap<string, ChallengeState>,
): OrderStep | undefined {
  const challenges: ExistingChallenge[] = [];
  for (const authorization of pendingAuthorizations(order)) {
    const plan = planChallenge(order, authorization, issuer.solvers);
    if ("reason" in plan) return failOrder("errored", plan.reason);
    const challenge = stored.get(plan.name);
    if (challenge?.status !== "present") return createChallengeStep(order, plan);
    challenges.push(challenge);
  }
  const failed = challenges.find((c) => isChallengeFinal(c) && c.state !== "valid");
  if (failed) {
    return failOrder(
      "invalid",
      `Challenge ${failed.meta.name} for "${failed.spec.dnsName}" failed`,
      failed.problem,
    );
  }
  if (challenges.some((c) => c.state !== "valid")) {
    const message = `Waiting on certificate issuance from order ${order.meta.namespace}/${order.meta.name}: "pending"`;
    return { kind: "waitForChallenges", message };
  }
  return undefined;
}

function createChallengeStep(order: ExistingOrder, plan: ChallengePlan): OrderStep {
  const { authorization, offer, selected } = plan;
  return {
    kind: "createChallenge",
    meta: { namespace: order.meta.namespace, name: plan.name, orderName: order.meta.name },
    spec: {
      url: offer.url,
      authorizationURL: authorization.url,
      dnsName: authorization.identifier,
      wildcard: authorization.wildcard,
      type: selected.type,
      token: offer.token,
      solver: selected.solver,
      issuerRef: order.spec.issuerRef,
    },
    offer,
  };
}

/** What the server's order status (RFC 8555 §7.1.6) asks for once every Challenge is valid. */
function serverStatusStep(
  order: ExistingOrder,
  issuer: OrderIssuerFacts,
  current: AcmeOrderResource,
): OrderStep {
  switch (current.status) {
    case "invalid":
      return failOrder("invalid", "Order is invalid", current.error);
    case "ready":
      return { kind: "finalize", finalizeUrl: current.finalizeUrl, csr: order.spec.request };
    case "processing":
      return order.finalized ? { kind: "poll" } : { kind: "recordFinalized", state: "processing" };
    case "valid": {
      if (!order.finalized) return { kind: "recordFinalized", state: "valid" };
      if (!current.certificateUrl) return { kind: "poll" };
      return {
        kind: "download",
        certificateUrl: current.certificateUrl,
        ...(issuer.preferredChain ? { preferredChain: issuer.preferredChain } : {}),
      };
    }
    default:
      // "pending": every Challenge passed but the server has not caught up yet (cert-manager
      // requeues too). Nothing else is acted on either: the next look may find it moved on.
      return { kind: "poll" };
  }
}

function failOrder(state: AcmeFailureStatus, reason: string, problem?: AcmeProblem): OrderStep {
  return { kind: "failOrder", state, reason, ...(problem ? { problem } : {}) };
}
