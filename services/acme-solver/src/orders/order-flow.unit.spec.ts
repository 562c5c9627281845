import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { orderDecider } from "@certplane/domain/model";
import { FakeClock } from "@certplane/testing";
import type { AcmeClient } from "../acme-client.ts";
import { AcmeRequestError } from "../acme-request-error.ts";
import { SolverHarness } from "../testing/acme-solver-harness.ts";
import { FakeAcmeServer } from "../testing/fake-acme-server.ts";

describe("the order flow over a fake ACME server", () => {
  const harnesses: SolverHarness[] = [];
  after(async () => {
    for (const h of harnesses) await h.stopAll();
  });

  async function setup(
    client: AcmeClient,
    options: { clock?: FakeClock; enableDurationFeature?: boolean } = {},
  ) {
    const harness = new SolverHarness(options.clock);
    harnesses.push(harness);
    await harness.start({
      config: SolverHarness.config({ CERTPLANE_ACME_HTTP01_LISTEN: "" }),
      acmeClientFactory: () => client,
    });
    await harness.applyIssuer("fake", {
      server: "https://acme.test/dir",
      solvers: [{ http01: { ingress: {} }, waitInsteadOfSelfCheck: "0s" }],
      ...(options.enableDurationFeature === undefined
        ? {}
        : { enableDurationFeature: options.enableDurationFeature }),
    });
    return harness;
  }

  it("records every step as an event and issues the request with the downloaded chain", async () => {
    const fake = new FakeAcmeServer();
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
    const fake = new FakeAcmeServer({
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

  describe("enableDurationFeature", () => {
    const issue = async (options: { enableDurationFeature?: boolean; duration?: string }) => {
      const fake = new FakeAcmeServer();
      const clock = new FakeClock("2026-03-01T10:00:00Z");
      const harness = await setup(fake.client, { clock, ...options });
      const { stream } = await harness.request("r3", "fake", {
        dnsNames: ["a.example.test"],
        ...(options.duration ? { duration: options.duration } : {}),
      });
      const request = await harness.settled(stream);
      assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
      return fake.newOrders;
    };
    const identifiers = [{ type: "dns", value: "a.example.test" }];

    it("sends notAfter = now + the request's duration in newOrder when the issuer enables it", async () => {
      assert.deepEqual(await issue({ enableDurationFeature: true, duration: "2160h30m" }), [
        { identifiers, notAfter: "2026-05-30T10:30:00.000Z" },
      ]);
    });

    it("sends no notAfter when the issuer does not enable it, whatever the request's duration", async () => {
      assert.deepEqual(await issue({ duration: "2160h" }), [{ identifiers }]);
      assert.deepEqual(await issue({ enableDurationFeature: false, duration: "2160h" }), [{ identifiers }]);
    });

    it("sends no notAfter when the issuer enables it but the request names no duration", async () => {
      assert.deepEqual(await issue({ enableDurationFeature: true }), [{ identifiers }]);
    });
  });
});
