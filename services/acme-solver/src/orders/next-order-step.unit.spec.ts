import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AcmeChallengeSolver } from "@certplane/domain";
import type {
  AcmeStatus,
  ExistingChallenge,
  ExistingOrder,
  OrderAuthorization,
  OrderSpecFields,
} from "@certplane/domain/model";
import type { AcmeAuthorizationResource, AcmeOrderResource } from "../acme-client.ts";
import { challengeNameFor } from "./names.ts";
import { nextOrderStep } from "./next-order-step.ts";
import type { OrderStep } from "./order-step.ts";
import type { OrderStepInput } from "./order-step-input.ts";

const http01: AcmeChallengeSolver = { http01: { ingress: {} } };
const dns01: AcmeChallengeSolver = {
  dns01: { webhook: { groupName: "acme.example.test", solverName: "test" } },
};
const problem = { type: "urn:ietf:params:acme:error:unauthorized", detail: "no such token", status: 403 };
const csr = "-----BEGIN CERTIFICATE REQUEST-----\nMA==\n-----END CERTIFICATE REQUEST-----\n";
const certificate = "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n";
const orderUrl = "https://acme.test/order/1";
const finalizeUrl = "https://acme.test/order/1/finalize";

const spec: OrderSpecFields = {
  request: csr,
  issuerRef: { name: "letsencrypt" },
  dnsNames: ["web.example.test"],
  ipAddresses: [],
};

const created: ExistingOrder = {
  status: "present",
  meta: { namespace: "apps", name: "web-1-0123456789", requestName: "web-1" },
  spec,
  state: "",
  finalized: false,
  createdAt: "2026-03-01T10:00:00.000Z",
};

function authorization(
  identifier = "web.example.test",
  change: Partial<OrderAuthorization> = {},
): OrderAuthorization {
  const url = `https://acme.test/authz/${identifier}`;
  return {
    url,
    identifier,
    identifierType: "dns",
    wildcard: false,
    initialState: "pending",
    challenges: [
      { url: `${url}/http-01`, token: `${identifier}-http`, type: "http-01" },
      { url: `${url}/dns-01`, token: `${identifier}-dns`, type: "dns-01" },
    ],
    ...change,
  };
}

function placed(change: Partial<ExistingOrder> = {}): ExistingOrder {
  return {
    ...created,
    url: orderUrl,
    finalizeURL: finalizeUrl,
    authorizationURLs: [authorization().url],
    state: "pending",
    ...change,
  };
}

const authorized = (...authorizations: OrderAuthorization[]) =>
  placed({ authorizations: authorizations.length > 0 ? authorizations : [authorization()] });

const challengeName = (authz: OrderAuthorization, type = "http-01") =>
  challengeNameFor(created.meta.name, authz.url, type);

/** The HTTP-01 Challenge of an authorization, in the given state. */
function challenge(
  authz: OrderAuthorization,
  state: AcmeStatus | "",
  change: Partial<ExistingChallenge> = {},
): ExistingChallenge {
  const offer = authz.challenges[0]!;
  return {
    status: "present",
    meta: { namespace: "apps", name: challengeName(authz), orderName: created.meta.name },
    spec: {
      url: offer.url,
      authorizationURL: authz.url,
      dnsName: authz.identifier,
      wildcard: authz.wildcard,
      type: "HTTP-01",
      token: offer.token,
      key: `${offer.token}.thumbprint`,
      solver: http01,
      issuerRef: spec.issuerRef,
    },
    state,
    presented: state !== "",
    selfCheckPassed: state !== "",
    accepted: state !== "",
    cleanedUp: false,
    createdAt: "2026-03-01T10:00:01.000Z",
    ...change,
  };
}

const stored = (...challenges: ExistingChallenge[]) => new Map(challenges.map((c) => [c.meta.name, c]));

/** The step that makes an authorization's Challenge of one type with the solver chosen for it. */
function createsChallenge(
  authz: OrderAuthorization,
  type: "HTTP-01" | "DNS-01",
  solver: AcmeChallengeSolver,
): OrderStep {
  const offer = authz.challenges.find((c) => c.type === type.toLowerCase())!;
  return {
    kind: "createChallenge",
    meta: { namespace: "apps", name: challengeName(authz, offer.type), orderName: created.meta.name },
    spec: {
      url: offer.url,
      authorizationURL: authz.url,
      dnsName: authz.identifier,
      wildcard: authz.wildcard,
      type,
      token: offer.token,
      solver,
      issuerRef: spec.issuerRef,
    },
    offer,
  };
}

function serverOrder(status: AcmeStatus, change: Partial<AcmeOrderResource> = {}): AcmeOrderResource {
  return { url: orderUrl, status, finalizeUrl, authorizationUrls: [authorization().url], ...change };
}

function serverAuthorization(status: AcmeStatus, error?: typeof problem): AcmeAuthorizationResource {
  const authz = authorization();
  return {
    url: authz.url,
    status,
    identifier: { type: "dns", value: authz.identifier },
    wildcard: false,
    challenges: authz.challenges.map((offer) => ({
      ...offer,
      status,
      ...(error && offer.type === "http-01" ? { error } : {}),
    })),
  };
}

function input(order: ExistingOrder, change: Partial<OrderStepInput> = {}): OrderStepInput {
  return {
    order,
    requestPhase: "pending",
    issuer: { solvers: [http01], preferredChain: undefined },
    challenges: new Map(),
    ...change,
  };
}

/** An Order past its Challenges, every one valid: what comes next is the server's to say. */
const validated = (order: ExistingOrder = authorized(), change: Partial<OrderStepInput> = {}) =>
  input(order, { challenges: stored(challenge(authorization(), "valid")), ...change });

const finalOrder = placed({ state: "valid", finalized: true, certificate });
const www = authorization("www.example.test");
// Servers such as pebble and Let's Encrypt offer only DNS-01 for a wildcard name.
const wildcard = authorization("example.test", {
  wildcard: true,
  challenges: authorization("example.test").challenges.filter((offer) => offer.type === "dns-01"),
});

const cases: ReadonlyArray<{
  readonly name: string;
  readonly input: OrderStepInput;
  readonly step: OrderStep;
}> = [
  {
    name: "a request that is no longer pending leaves even a final Order alone",
    input: input(finalOrder, { requestPhase: "failed" }),
    step: { kind: "requestNotPending" },
  },
  {
    name: "a request that was deleted leaves its Order alone",
    input: input(placed(), { requestPhase: undefined }),
    step: { kind: "requestNotPending" },
  },
  {
    name: "a final order settles the request with the downloaded chain",
    input: input(finalOrder),
    step: { kind: "settleRequest", outcome: { type: "IssueCertificateRequest", certificate } },
  },
  {
    name: "a final order settles the request even when its issuer is gone",
    input: input(finalOrder, { issuer: undefined }),
    step: { kind: "settleRequest", outcome: { type: "IssueCertificateRequest", certificate } },
  },
  {
    name: "a failed order fails the request with the order's state and reason",
    input: input(placed({ state: "errored", reason: "Failed to create Order: 403 rejectedIdentifier: no" })),
    step: {
      kind: "settleRequest",
      outcome: {
        type: "FailCertificateRequest",
        reason: "OrderFailed",
        message:
          'Failed to wait for order resource "web-1-0123456789" to become ready: order is in "errored" state: Failed to create Order: 403 rejectedIdentifier: no',
      },
    },
  },
  {
    name: "an order whose issuer is missing keeps the request pending, saying so",
    input: input(created, { issuer: undefined }),
    step: {
      kind: "issuerMissing",
      message: "Referenced issuer letsencrypt not found or not an ACME issuer",
    },
  },
  {
    name: "an order without a URL is placed",
    input: input(created),
    step: { kind: "place", identifiers: [{ type: "dns", value: "web.example.test" }] },
  },
  {
    name: "a common name is ordered as a DNS name too, unless it is one of the IP addresses",
    input: input({
      ...created,
      spec: { ...spec, commonName: "cn.example.test", ipAddresses: ["10.0.0.1"] },
    }),
    step: {
      kind: "place",
      identifiers: [
        { type: "dns", value: "web.example.test" },
        { type: "dns", value: "cn.example.test" },
        { type: "ip", value: "10.0.0.1" },
      ],
    },
  },
  {
    name: "an order with a duration is placed with that lifetime",
    input: input({ ...created, spec: { ...spec, duration: "2160h30m" } }),
    step: {
      kind: "place",
      identifiers: [{ type: "dns", value: "web.example.test" }],
      lifetimeMs: (2160 * 60 + 30) * 60_000,
    },
  },
  {
    name: "a placed order fetches its authorizations",
    input: input(placed()),
    step: { kind: "fetchAuthorizations", urls: [authorization().url] },
  },
  {
    name: "an invalid authorization fails the order with its problem",
    input: input(placed(), { authorizations: [serverAuthorization("invalid", problem)] }),
    step: {
      kind: "failOrder",
      state: "invalid",
      reason: 'Authorization for "web.example.test" is invalid',
      problem,
    },
  },
  {
    name: "fetched authorizations are recorded with the challenges the server offers",
    input: input(placed(), { authorizations: [serverAuthorization("pending")] }),
    step: { kind: "recordAuthorizations", authorizations: [authorization()] },
  },
  {
    name: "a pending authorization without its challenge gets one, with the solver already selected",
    input: input(authorized()),
    step: createsChallenge(authorization(), "HTTP-01", http01),
  },
  {
    name: "a wildcard authorization gets its challenge from the dns01 solver",
    input: input(authorized(wildcard), { issuer: { solvers: [http01, dns01], preferredChain: undefined } }),
    step: createsChallenge(wildcard, "DNS-01", dns01),
  },
  {
    name: "an authorization no solver fits fails the order as errored",
    input: input(authorized(wildcard)),
    step: {
      kind: "failOrder",
      state: "errored",
      reason:
        'Failed to determine a valid solver configuration: wildcard name "*.example.test" can only be validated with DNS-01, and no dns01 solver matches it',
    },
  },
  {
    name: "an authorization the server already validated needs no challenge",
    input: input(authorized(authorization("web.example.test", { initialState: "valid" }))),
    step: { kind: "fetchOrder", url: orderUrl },
  },
  {
    name: "every pending authorization gets its challenge before a failed one fails the order",
    input: input(authorized(authorization(), www), {
      challenges: stored(challenge(authorization(), "invalid", { problem })),
    }),
    step: createsChallenge(www, "HTTP-01", http01),
  },
  {
    name: "a failed challenge fails the order",
    input: input(authorized(authorization(), www), {
      challenges: stored(challenge(authorization(), "valid"), challenge(www, "invalid", { problem })),
    }),
    step: {
      kind: "failOrder",
      state: "invalid",
      reason: `Challenge ${challengeName(www)} for "www.example.test" failed`,
      problem,
    },
  },
  {
    name: "challenges still in flight keep the request pending",
    input: input(authorized(authorization(), www), {
      challenges: stored(challenge(authorization(), "valid"), challenge(www, "")),
    }),
    step: {
      kind: "waitForChallenges",
      message: 'Waiting on certificate issuance from order apps/web-1-0123456789: "pending"',
    },
  },
  {
    name: "all challenges valid and the order not fetched in this pass: fetch it",
    input: validated(),
    step: { kind: "fetchOrder", url: orderUrl },
  },
  {
    name: "all challenges valid and the server still says pending: poll",
    input: validated(authorized(), { current: serverOrder("pending") }),
    step: { kind: "poll" },
  },
  {
    name: "the server says the order is invalid: fail it with the server's error",
    input: validated(authorized(), { current: serverOrder("invalid", { error: problem }) }),
    step: { kind: "failOrder", state: "invalid", reason: "Order is invalid", problem },
  },
  {
    name: "all challenges valid and the server says ready: finalize",
    input: validated(authorized(), { current: serverOrder("ready") }),
    step: { kind: "finalize", finalizeUrl, csr },
  },
  {
    name: "processing and not yet recorded as finalized: record it",
    input: validated(authorized(), { current: serverOrder("processing") }),
    step: { kind: "recordFinalized", state: "processing" },
  },
  {
    name: "processing and recorded as finalized: poll",
    input: validated(
      { ...authorized(), finalized: true, state: "processing" },
      { current: serverOrder("processing") },
    ),
    step: { kind: "poll" },
  },
  {
    name: "valid and not yet recorded as finalized: record it before downloading",
    input: validated(authorized(), {
      current: serverOrder("valid", { certificateUrl: "https://acme.test/cert/1" }),
    }),
    step: { kind: "recordFinalized", state: "valid" },
  },
  {
    name: "valid with a certificate URL: download",
    input: validated(
      { ...authorized(), finalized: true, state: "valid" },
      { current: serverOrder("valid", { certificateUrl: "https://acme.test/cert/1" }) },
    ),
    step: { kind: "download", certificateUrl: "https://acme.test/cert/1" },
  },
  {
    name: "valid with a certificate URL and a preferred chain: download that chain",
    input: validated(
      { ...authorized(), finalized: true, state: "valid" },
      {
        current: serverOrder("valid", { certificateUrl: "https://acme.test/cert/1" }),
        issuer: { solvers: [http01], preferredChain: "ISRG Root X2" },
      },
    ),
    step: { kind: "download", certificateUrl: "https://acme.test/cert/1", preferredChain: "ISRG Root X2" },
  },
  {
    name: "an empty preferredChain asks for the server's default chain",
    input: validated(
      { ...authorized(), finalized: true, state: "valid" },
      {
        current: serverOrder("valid", { certificateUrl: "https://acme.test/cert/1" }),
        issuer: { solvers: [http01], preferredChain: "" },
      },
    ),
    step: { kind: "download", certificateUrl: "https://acme.test/cert/1" },
  },
  {
    name: "valid without a certificate URL yet: poll",
    input: validated({ ...authorized(), finalized: true, state: "valid" }, { current: serverOrder("valid") }),
    step: { kind: "poll" },
  },
  {
    name: "a server state the flow does not act on (expired) is polled",
    input: validated(authorized(), { current: serverOrder("expired") }),
    step: { kind: "poll" },
  },
];

describe("nextOrderStep", () => {
  for (const { name, input, step } of cases) {
    it(name, () => {
      assert.deepEqual(nextOrderStep(input), step);
    });
  }
});
