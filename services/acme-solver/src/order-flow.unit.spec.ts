import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { orderDecider } from "@certplane/domain/model";
import type { AcmeClient, AcmeOrderResource } from "./acme-client.ts";
import { AcmeRequestError } from "./acme-request-error.ts";
import { SolverHarness } from "./acme-solver-harness.ts";

/** A fake ACME server: one order, one HTTP-01 authorization that becomes valid once accepted. */
function fakeClient(options: { newOrderFailures?: AcmeRequestError[] } = {}) {
  const failures = [...(options.newOrderFailures ?? [])];
  const calls: string[] = [];
  let accepted = false;
  let finalized = false;
  const order = (): AcmeOrderResource => ({
    url: "https://acme.test/order/1",
    status: finalized ? "valid" : accepted ? "ready" : "pending",
    finalizeUrl: "https://acme.test/order/1/finalize",
    authorizationUrls: ["https://acme.test/authz/1"],
    ...(finalized ? { certificateUrl: "https://acme.test/cert/1" } : {}),
  });
  const client: AcmeClient = {
    register: async () => ({ uri: "https://acme.test/acct/1" }),
    newOrder: async () => {
      calls.push("newOrder");
      const failure = failures.shift();
      if (failure) throw failure;
      return order();
    },
    getOrder: async () => order(),
    getAuthorization: async (url) => ({
      url,
      status: accepted ? "valid" : "pending",
      identifier: { type: "dns", value: "a.example.test" },
      wildcard: false,
      challenges: [
        {
          url: "https://acme.test/chall/1",
          type: "http-01",
          token: "tok",
          status: accepted ? "valid" : "pending",
        },
      ],
    }),
    keyAuthorization: async () => "tok.thumb",
    acceptChallenge: async () => {
      calls.push("accept");
      accepted = true;
    },
    finalize: async () => {
      calls.push("finalize");
      finalized = true;
      return order();
    },
    downloadCertificate: async () => "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n",
  };
  return { client, calls };
}

describe("the order flow over a fake ACME server", () => {
  const harnesses: SolverHarness[] = [];
  after(async () => {
    for (const h of harnesses) await h.stopAll();
  });

  async function setup(client: AcmeClient) {
    const harness = new SolverHarness();
    harnesses.push(harness);
    await harness.start({
      config: SolverHarness.config({ CERTPLANE_ACME_HTTP01_LISTEN: "" }),
      acmeClientFactory: () => client,
    });
    await harness.applyIssuer("fake", {
      server: "https://acme.test/dir",
      solvers: [{ http01: { ingress: {} }, waitInsteadOfSelfCheck: "0s" }],
    });
    return harness;
  }

  it("records every step as an event and issues the request with the downloaded chain", async () => {
    const fake = fakeClient();
    const harness = await setup(fake.client);
    const { stream } = await harness.request("r1", "fake", { dnsNames: ["a.example.test"] });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    assert.deepEqual(fake.calls, ["newOrder", "accept", "finalize"]);
    const [order] = await harness.orders();
    assert.ok(order?.status === "present");
    const events = (await harness.store.read(`order-apps_${order.meta.name}`)).events.map((e) => e.type);
    assert.deepEqual(events, [
      "OrderCreated",
      "OrderPlaced",
      "OrderAuthorizationsFetched",
      "OrderFinalized",
      "OrderCertificateDownloaded",
    ]);
    const [challenge] = await harness.challenges();
    assert.ok(challenge?.status === "present");
    const challengeEvents = (await harness.store.read(`challenge-apps_${challenge.meta.name}`)).events.map(
      (e) => e.type,
    );
    assert.deepEqual(challengeEvents, [
      "ChallengeCreated",
      "ChallengePresented",
      "ChallengeSelfCheckPassed",
      "ChallengeAccepted",
      "ChallengeValidated",
      "ChallengeCleanedUp",
    ]);
  });

  it("retries a 5xx and honours it, then ends an Order errored on a 4xx with the problem on the request", async () => {
    const fake = fakeClient({
      newOrderFailures: [
        new AcmeRequestError(
          "newOrder",
          { status: 503, type: "urn:ietf:params:acme:error:serverInternal", detail: "try later" },
          { retryAfterMs: 10 },
        ),
        new AcmeRequestError("newOrder", {
          status: 403,
          type: "urn:ietf:params:acme:error:rejectedIdentifier",
          detail: "forbidden by policy",
        }),
      ],
    });
    const harness = await setup(fake.client);
    const { stream } = await harness.request("r2", "fake", { dnsNames: ["a.example.test"] });
    const request = await harness.settled(stream);
    assert.equal(request.phase, "failed");
    assert.deepEqual(fake.calls, ["newOrder", "newOrder"]);
    const message = request.conditions.find((c) => c.type === "Ready")?.message ?? "";
    assert.match(
      message,
      /order is in "errored" state: Failed to create Order: 403 rejectedIdentifier: forbidden by policy/,
    );
    const [order] = await harness.orders();
    const { state } = await harness.runner.load(
      `order-apps_${order?.status === "present" ? order.meta.name : ""}`,
      orderDecider,
    );
    assert.equal(state.status === "present" && state.problem?.status, 403);
  });
});
