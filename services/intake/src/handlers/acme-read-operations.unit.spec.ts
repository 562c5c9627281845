import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DescribeResponse } from "@certplane/api";
import { NotFoundError } from "@certplane/domain";
import type { ChallengeCommand, OrderCommand } from "@certplane/domain/model";
import {
  certificateRequestDecider,
  challengeDecider,
  orderDecider,
  requestAnnotations,
  streams,
} from "@certplane/domain/model";
import { pollUntil } from "@certplane/testing";
import { type Harness, seedManifests, startHarness, testCommandContext } from "../testing/harness.ts";

const namespace = "demo-apps";
const csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
const issuerRef = { name: "letsencrypt", kind: "ClusterIssuer", group: "cert-manager.io" };
const orderUrl = "https://acme.example/order/1";
const problem = {
  type: "urn:ietf:params:acme:error:unauthorized",
  detail: "Invalid response from http://myapp.example.com/.well-known/acme-challenge/tok-1",
  status: 403,
};

type Status = Record<string, unknown>;
const statusOf = (object: { status?: unknown } | undefined) => (object?.status ?? {}) as Status;

describe("get and describe of ACME Orders and Challenges", () => {
  let h: Harness;
  const now = () => h.clock.now().toISOString();
  const step = () => h.clock.advance(1000);

  async function request(name: string, revision: number) {
    step();
    await h.runner.execute(
      streams.certificateRequest(namespace, name),
      certificateRequestDecider,
      {
        type: "CreateCertificateRequest",
        meta: {
          name,
          namespace,
          uid: `${name}-uid`,
          generation: 1,
          creationTimestamp: now(),
          annotations: {
            [requestAnnotations.certificateName]: "myapp-tls",
            [requestAnnotations.certificateRevision]: String(revision),
            [requestAnnotations.privateKeySecretName]: "myapp-tls-next-key",
          },
        },
        spec: { request: csr, issuerRef },
        now: now(),
      },
      testCommandContext,
    );
  }

  async function order(name: string, command: (now: string) => OrderCommand) {
    step();
    await h.runner.execute(streams.order(namespace, name), orderDecider, command(now()), testCommandContext);
  }

  async function challenge(name: string, command: (now: string) => ChallengeCommand) {
    step();
    await h.runner.execute(
      streams.challenge(namespace, name),
      challengeDecider,
      command(now()),
      testCommandContext,
    );
  }

  const createChallenge = (name: string, dnsName: string, type: "HTTP-01" | "DNS-01", token: string) =>
    challenge(name, (at) => ({
      type: "CreateChallenge",
      meta: { namespace, name, orderName: "myapp-tls-2-abc" },
      spec: {
        url: `https://acme.example/chall/${token}`,
        authorizationURL: `https://acme.example/authz/${dnsName}`,
        dnsName,
        wildcard: type === "DNS-01",
        type,
        token,
        key: `${token}.thumbprint`,
        solver: type === "HTTP-01" ? { http01: { ingress: {} } } : { dns01: { cnameStrategy: "None" } },
        issuerRef,
      },
      now: at,
    }));

  before(async () => {
    h = await startHarness();
    await h.intake.api.apply({ manifests: seedManifests });
    await request("myapp-tls-1", 1);
    await order("myapp-tls-1-old", (at) => ({
      type: "CreateOrder",
      meta: { namespace, name: "myapp-tls-1-old", requestName: "myapp-tls-1" },
      spec: { request: csr, issuerRef, dnsNames: ["myapp.example.com"], ipAddresses: [] },
      now: at,
    }));
    await request("myapp-tls-2", 2);
    await order("myapp-tls-2-abc", (at) => ({
      type: "CreateOrder",
      meta: { namespace, name: "myapp-tls-2-abc", requestName: "myapp-tls-2", labels: { team: "web" } },
      spec: {
        request: csr,
        issuerRef,
        commonName: "myapp.example.com",
        dnsNames: ["myapp.example.com", "*.myapp.example.com"],
        ipAddresses: [],
      },
      now: at,
    }));
    await order("myapp-tls-2-abc", (at) => ({
      type: "RecordOrderPlaced",
      url: orderUrl,
      finalizeURL: `${orderUrl}/finalize`,
      authorizationURLs: ["https://acme.example/authz/a", "https://acme.example/authz/b"],
      state: "pending",
      now: at,
    }));
    await order("myapp-tls-2-abc", (at) => ({
      type: "RecordOrderAuthorizations",
      authorizations: [
        {
          url: "https://acme.example/authz/a",
          identifier: "myapp.example.com",
          identifierType: "dns",
          wildcard: false,
          initialState: "pending",
          challenges: [{ url: "https://acme.example/chall/tok-1", token: "tok-1", type: "http-01" }],
        },
        {
          url: "https://acme.example/authz/b",
          identifier: "myapp.example.com",
          identifierType: "dns",
          wildcard: true,
          initialState: "pending",
          challenges: [{ url: "https://acme.example/chall/tok-2", token: "tok-2", type: "dns-01" }],
        },
      ],
      now: at,
    }));
    await createChallenge("myapp-tls-2-abc-http", "myapp.example.com", "HTTP-01", "tok-1");
    await createChallenge("myapp-tls-2-abc-dns", "myapp.example.com", "DNS-01", "tok-2");
    await challenge("myapp-tls-2-abc-http", (at) => ({ type: "RecordChallengePresented", now: at }));
    await challenge("myapp-tls-2-abc-http", (at) => ({ type: "RecordChallengeAccepted", now: at }));
    await challenge("myapp-tls-2-abc-http", (at) => ({
      type: "FailChallenge",
      state: "invalid",
      reason: "Accepting challenge authorization failed",
      problem,
      now: at,
    }));
    await order("myapp-tls-2-abc", (at) => ({
      type: "FailOrder",
      state: "invalid",
      reason: "Failed to finalize Order",
      problem,
      now: at,
    }));
  });
  after(async () => {
    await h.stop();
  });

  it("gets an order by name as cert-manager's Order object", async () => {
    const { items } = await h.intake.api.get({ kind: "Order", name: "myapp-tls-2-abc", namespace });
    const [object] = items;
    assert.equal(object?.apiVersion, "acme.cert-manager.io/v1");
    assert.equal(object?.kind, "Order");
    assert.deepEqual(object?.metadata.labels, { team: "web" });
    const spec = object?.spec as Status;
    assert.equal(Buffer.from(spec.request as string, "base64").toString("utf8"), csr);
    assert.deepEqual(spec.dnsNames, ["myapp.example.com", "*.myapp.example.com"]);
    assert.equal(spec.commonName, "myapp.example.com");
    const status = statusOf(object);
    assert.equal(status.url, orderUrl);
    assert.equal(status.finalizeURL, `${orderUrl}/finalize`);
    assert.equal(status.state, "invalid");
    assert.equal(
      status.reason,
      "Failed to finalize Order: 403 unauthorized: Invalid response from http://myapp.example.com/.well-known/acme-challenge/tok-1",
    );
    assert.equal(typeof status.failureTime, "string");
    const [first] = status.authorizations as Status[];
    assert.deepEqual(first, {
      url: "https://acme.example/authz/a",
      identifier: "myapp.example.com",
      wildcard: false,
      initialState: "pending",
      challenges: [{ url: "https://acme.example/chall/tok-1", token: "tok-1", type: "http-01" }],
    });
  });

  it("gets a challenge by name with its spec and status", async () => {
    const { items } = await h.intake.api.get({ kind: "Challenge", name: "myapp-tls-2-abc-dns", namespace });
    const [object] = items;
    assert.equal(object?.apiVersion, "acme.cert-manager.io/v1");
    const spec = object?.spec as Status;
    assert.deepEqual(
      [spec.type, spec.dnsName, spec.wildcard, spec.token, spec.key],
      ["DNS-01", "myapp.example.com", true, "tok-2", "tok-2.thumbprint"],
    );
    assert.deepEqual(statusOf(object), { processing: true, presented: false });
  });

  it("lists orders and challenges in a namespace, across namespaces, and none elsewhere", async () => {
    const names = async (request: Parameters<typeof h.intake.api.get>[0]) =>
      (await h.intake.api.get(request)).items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
    await pollUntil(
      async () => ((await names({ kind: "Challenge", namespace })).length === 2 ? true : undefined),
      { what: "both Challenges to be listed" },
    );
    assert.deepEqual(await names({ kind: "Order", namespace }), [
      "demo-apps/myapp-tls-1-old",
      "demo-apps/myapp-tls-2-abc",
    ]);
    assert.deepEqual(await names({ kind: "Challenge", allNamespaces: true }), [
      "demo-apps/myapp-tls-2-abc-dns",
      "demo-apps/myapp-tls-2-abc-http",
    ]);
    assert.deepEqual(await names({ kind: "Order", namespace: "elsewhere" }), []);
    assert.deepEqual(await names({ kind: "Challenge" }), [], "nothing lives in default");
  });

  it("answers a missing order or challenge with kubectl's not-found text", async () => {
    await assert.rejects(
      h.intake.api.get({ kind: "Order", name: "nope", namespace }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'orders.acme.cert-manager.io "nope" not found',
    );
    await assert.rejects(
      h.intake.api.describe({ kind: "Challenge", name: "nope", namespace }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'challenges.acme.cert-manager.io "nope" not found',
    );
  });

  const describeUntil = (
    ref: Parameters<typeof h.intake.api.describe>[0],
    done: (response: DescribeResponse) => boolean,
  ) =>
    pollUntil(
      async () => {
        const response = await h.intake.api.describe(ref);
        return done(response) ? response : undefined;
      },
      { what: "the described object to be complete" },
    );
  const relatedNames = (response: DescribeResponse) =>
    response.related.map((r) => `${r.kind} ${r.metadata.name}`);

  it("describes an order with its request, its challenges and their events", async () => {
    const described = await describeUntil(
      { kind: "Order", name: "myapp-tls-2-abc", namespace },
      (r) => r.related.length === 3,
    );
    assert.deepEqual(relatedNames(described), [
      "CertificateRequest myapp-tls-2",
      "Challenge myapp-tls-2-abc-dns",
      "Challenge myapp-tls-2-abc-http",
    ]);
    assert.deepEqual(
      described.events.map((e) => [e.object, e.event, e.reason]),
      [
        ["Order demo-apps/myapp-tls-2-abc", "OrderCreated", "Created"],
        ["Order demo-apps/myapp-tls-2-abc", "OrderPlaced", "Placed"],
        ["Order demo-apps/myapp-tls-2-abc", "OrderAuthorizationsFetched", "Authorizations"],
        ["Challenge demo-apps/myapp-tls-2-abc-http", "ChallengeCreated", "Created"],
        ["Challenge demo-apps/myapp-tls-2-abc-dns", "ChallengeCreated", "Created"],
        ["Challenge demo-apps/myapp-tls-2-abc-http", "ChallengePresented", "Presented"],
        ["Challenge demo-apps/myapp-tls-2-abc-http", "ChallengeAccepted", "Accepted"],
        ["Challenge demo-apps/myapp-tls-2-abc-http", "ChallengeFailed", "Failed"],
        ["Order demo-apps/myapp-tls-2-abc", "OrderFailed", "Failed"],
      ],
    );
    const message = (event: string) => described.events.find((e) => e.event === event)?.message;
    assert.equal(message("OrderCreated"), 'Order created for CertificateRequest "myapp-tls-2"');
    assert.equal(
      message("OrderAuthorizationsFetched"),
      "Authorizations fetched: myapp.example.com (pending), *.myapp.example.com (pending)",
    );
    assert.equal(
      message("OrderFailed"),
      "Order invalid: Failed to finalize Order: 403 unauthorized: Invalid response from http://myapp.example.com/.well-known/acme-challenge/tok-1",
    );
    assert.equal(
      described.events.find((e) => e.object.endsWith("-dns") && e.event === "ChallengeCreated")?.message,
      'Created DNS-01 challenge for domain "*.myapp.example.com"',
    );
  });

  it("describes a challenge with its order, telling only its own events", async () => {
    const described = await describeUntil(
      { kind: "Challenge", name: "myapp-tls-2-abc-http", namespace },
      (r) => r.related.length === 1,
    );
    assert.deepEqual(relatedNames(described), ["Order myapp-tls-2-abc"]);
    assert.deepEqual(
      described.events.map((e) => e.event),
      ["ChallengeCreated", "ChallengePresented", "ChallengeAccepted", "ChallengeFailed"],
    );
    assert.equal(
      described.events.at(-1)?.message,
      "Challenge invalid: Accepting challenge authorization failed: 403 unauthorized: Invalid response from http://myapp.example.com/.well-known/acme-challenge/tok-1",
    );
    assert.deepEqual(statusOf(described.object), {
      processing: false,
      presented: true,
      presentedAt: described.events[1]?.time,
      reason:
        "Accepting challenge authorization failed: 403 unauthorized: Invalid response from http://myapp.example.com/.well-known/acme-challenge/tok-1",
      state: "invalid",
    });
  });

  it("describes a certificate down to the current request's order and challenges", async () => {
    const described = await describeUntil(
      { kind: "Certificate", name: "myapp-tls", namespace },
      (r) => r.related.length === 5,
    );
    assert.deepEqual(relatedNames(described), [
      "CertificateRequest myapp-tls-1",
      "CertificateRequest myapp-tls-2",
      "Order myapp-tls-2-abc",
      "Challenge myapp-tls-2-abc-dns",
      "Challenge myapp-tls-2-abc-http",
    ]);
    const objects = described.events.map((e) => e.object);
    assert.ok(objects.includes("Challenge demo-apps/myapp-tls-2-abc-http"));
    assert.ok(!objects.includes("Order demo-apps/myapp-tls-1-old"), "an older request's order stays out");
    const times = described.events.map((e) => e.time);
    assert.deepEqual(times, [...times].sort(), "newest last");
    assert.equal(described.events.at(-1)?.event, "OrderFailed");
  });

  it("describes a request with its current order and that order's challenges", async () => {
    const described = await describeUntil(
      { kind: "CertificateRequest", name: "myapp-tls-1", namespace },
      (r) => r.related.length === 1,
    );
    assert.deepEqual(relatedNames(described), ["Order myapp-tls-1-old"]);
  });
});
