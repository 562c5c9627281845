import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GetRequest, ResourceObject } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { runAgainst } from "./testing/cli-harness.ts";
import { certificate, challenge, order, pending } from "./testing/resources.ts";

const lines = (text: string) => text.trimEnd().split("\n");
const cells = (line: string | undefined) => (line ?? "").trim().split(/\s{3,}/);

const problem =
  "Accepting challenge authorization failed: 403 unauthorized: Invalid response from http://myapp.example.com";
const orders = [
  order({ name: "myapp-tls-1-abc", state: "valid", created: "2026-01-10T09:00:00Z" }),
  order({ name: "myapp-tls-2-def", state: "invalid", reason: `Failed to finalize Order: ${problem}` }),
];
const challenges = [
  challenge({ name: "myapp-tls-2-def-1", dnsName: "myapp.example.com", type: "HTTP-01", state: "pending" }),
  challenge({
    name: "myapp-tls-2-def-2",
    dnsName: "myapp.example.com",
    type: "DNS-01",
    wildcard: true,
    state: "invalid",
    reason: problem,
  }),
];

describe("certctl get orders and challenges", () => {
  const fake = new FakeCertplaneApi({
    get: async (request: GetRequest) => {
      if (request.namespace === "empty") return { items: [] };
      return { items: request.kind === "Order" ? orders : challenges };
    },
  });

  it("prints orders with NAME STATE AGE, and REASON with -o wide", async () => {
    const run = await runAgainst(fake, ["get", "orders", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout).map(cells), [
      ["NAME", "STATE", "AGE"],
      ["myapp-tls-1-abc", "valid", "3h"],
      ["myapp-tls-2-def", "invalid", "1h"],
    ]);
    assert.deepEqual(fake.callsTo("get").at(-1), { kind: "Order", namespace: "demo-apps" });

    const wide = await runAgainst(fake, ["get", "order", "-A", "-o", "wide"]);
    const [header, , second] = lines(wide.stdout);
    assert.deepEqual(cells(header), ["NAMESPACE", "NAME", "STATE", "REASON", "AGE"]);
    assert.deepEqual(cells(second), [
      "demo-apps",
      "myapp-tls-2-def",
      "invalid",
      `Failed to finalize Order: ${problem}`,
      "1h",
    ]);
    assert.deepEqual(fake.callsTo("get").at(-1), { kind: "Order", allNamespaces: true });
  });

  it("prints challenges with their domain, and the reason with -o wide", async () => {
    const run = await runAgainst(fake, ["get", "challenges.acme.cert-manager.io", "-o", "wide"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout).map(cells), [
      ["NAME", "STATE", "DOMAIN", "REASON", "AGE"],
      ["myapp-tls-2-def-1", "pending", "myapp.example.com", "1h"],
      ["myapp-tls-2-def-2", "invalid", "myapp.example.com", problem, "1h"],
    ]);
  });

  it("says so when a namespace holds no orders", async () => {
    const run = await runAgainst(fake, ["get", "orders", "-n", "empty"]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, "No resources found in empty namespace.\n");
  });
});

const event = (time: string, object: string, name: string, reason: string, message: string) => ({
  time,
  object,
  event: name,
  reason,
  message,
});

describe("certctl describe order and challenge", () => {
  it("shows an order's state, its request and challenges, and its events", async () => {
    const request: ResourceObject = {
      apiVersion: "cert-manager.io/v1",
      kind: "CertificateRequest",
      metadata: { name: "myapp-tls-2", namespace: "demo-apps" },
      status: { conditions: [{ type: "Ready", status: "False", reason: "Pending", message: "Waiting" }] },
    };
    const fake = new FakeCertplaneApi({
      describe: async () => ({
        object: orders[1]!,
        related: [request, ...challenges],
        events: [
          event("2026-01-10T11:00:00Z", "Order demo-apps/myapp-tls-2-def", "OrderCreated", "Created", "x"),
          event("2026-01-10T11:00:05Z", "Order demo-apps/myapp-tls-2-def", "OrderFailed", "Failed", problem),
        ],
      }),
    });
    const run = await runAgainst(fake, ["describe", "order", "myapp-tls-2-def", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /^API Version: +acme\.cert-manager\.io\/v1$/m);
    assert.match(out, /^Kind: +Order$/m);
    assert.doesNotMatch(out, /Conditions:/, "Orders have no conditions");
    assert.match(out, /^ {2}state: invalid$/m);
    assert.match(out, /^Related CertificateRequests:\n {2}myapp-tls-2 +Ready=False \(Pending\): Waiting$/m);
    assert.match(
      out,
      /^Related Challenges:\n {2}myapp-tls-2-def-1 +HTTP-01 myapp\.example\.com, state pending, presented false$/m,
    );
    assert.match(
      out,
      /^ {2}myapp-tls-2-def-2 +DNS-01 \*\.myapp\.example\.com, state invalid, presented false, reason: Accepting challenge authorization failed: 403 unauthorized: /m,
    );
    const eventLines = out.slice(out.indexOf("Events:")).split("\n");
    assert.deepEqual(cells(eventLines[3]).slice(2), ["OrderFailed", "Failed", problem]);
    assert.deepEqual(fake.callsTo("describe"), [
      { kind: "Order", name: "myapp-tls-2-def", namespace: "demo-apps" },
    ]);
  });

  it("shows a challenge with its order", async () => {
    const fake = new FakeCertplaneApi({
      describe: async () => ({ object: challenges[1]!, related: [orders[1]!], events: [] }),
    });
    const run = await runAgainst(fake, ["describe", "challenge", "myapp-tls-2-def-2", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Kind: +Challenge$/m);
    assert.match(run.stdout, /^ {2}type: DNS-01$/m);
    assert.match(
      run.stdout,
      /^Related Orders:\n {2}myapp-tls-2-def +state invalid: Failed to finalize Order: Accepting/m,
    );
    assert.match(run.stdout, /^Events: +<none>$/m);
  });
});

describe("certctl describe certificate with an ACME issuance in flight", () => {
  const chainOf = (out: string) => out.slice(out.indexOf("Issuance Chain:"), out.indexOf("Events:"));

  it("walks Certificate → CertificateRequest → Order → Challenges like cmctl status", async () => {
    const requestNamed = (name: string, message: string): ResourceObject => ({
      apiVersion: "cert-manager.io/v1",
      kind: "CertificateRequest",
      metadata: { name, namespace: "demo-apps" },
      status: { conditions: [{ type: "Ready", status: "False", reason: "Pending", message }] },
    });
    const current = order({
      name: "myapp-tls-2-def",
      state: "pending",
      url: "https://acme.example/order/2",
    });
    const fake = new FakeCertplaneApi({
      describe: async () => ({
        object: certificate({ name: "myapp-tls", ready: pending }),
        related: [
          requestNamed("myapp-tls-1", "old"),
          requestNamed(
            "myapp-tls-2",
            'Waiting on certificate issuance from order demo-apps/myapp-tls-2-def: "pending"',
          ),
          current,
          ...challenges,
        ],
        events: [],
      }),
    });
    const run = await runAgainst(fake, ["describe", "certificate", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Related CertificateRequests:\n {2}myapp-tls-1 .*\n {2}myapp-tls-2 .*\nIssuance Chain:/m,
    );
    assert.doesNotMatch(run.stdout, /^Related Orders:/m, "the chain shows the order");
    assert.deepEqual(lines(chainOf(run.stdout)), [
      "Issuance Chain:",
      "  Certificate:        myapp-tls",
      "    Condition:        Ready=False (DoesNotExist): Issuing certificate as Secret does not exist",
      "  CertificateRequest: myapp-tls-2",
      '    Condition:        Ready=False (Pending): Waiting on certificate issuance from order demo-apps/myapp-tls-2-def: "pending"',
      "  Order:              myapp-tls-2-def",
      "    State:            pending",
      "    URL:              https://acme.example/order/2",
      "    Authorizations:",
      "      - myapp.example.com (pending)",
      "  Challenges:",
      "    - myapp-tls-2-def-1: HTTP-01 myapp.example.com, state pending, presented false",
      `    - myapp-tls-2-def-2: DNS-01 *.myapp.example.com, state invalid, presented false, reason: ${problem}`,
    ]);
  });

  it("stops at the request when its issuer is not ACME", async () => {
    const request: ResourceObject = {
      apiVersion: "cert-manager.io/v1",
      kind: "CertificateRequest",
      metadata: { name: "myapp-tls-1", namespace: "demo-apps" },
      status: { conditions: [{ type: "Ready", status: "True", reason: "Issued", message: "fetched" }] },
    };
    const fake = new FakeCertplaneApi({
      describe: async () => ({ object: certificate({ name: "myapp-tls" }), related: [request], events: [] }),
    });
    const run = await runAgainst(fake, ["describe", "certificate", "myapp-tls"]);
    const chain = lines(chainOf(run.stdout));
    assert.equal(chain.at(-1), "    Condition:        Ready=True (Issued): fetched");
    assert.ok(!run.stdout.includes("Order:"));
  });
});
