import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { GetRequest } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { parse as parseYaml } from "yaml";
import { runAgainst, runCertctl } from "./testing/cli-harness.ts";
import { certificate, pending, ready } from "./testing/resources.ts";

const lines = (text: string) => text.trimEnd().split("\n");
const cells = (line: string | undefined) => (line ?? "").trim().split(/\s{3,}/);

describe("certctl apply", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certctl-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sends every file's documents and prints one outcome per object", async () => {
    const file = join(dir, "demo.yaml");
    await writeFile(file, "kind: Certificate\nmetadata:\n  name: myapp-tls\n");
    const fake = new FakeCertplaneApi({
      apply: async () => ({
        dryRun: false,
        results: [
          { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", outcome: "created" },
          { kind: "ClusterIssuer", name: "demo-ca-issuer", outcome: "unchanged" },
          { kind: "Secret", name: "ca", namespace: "demo-apps", outcome: "configured" },
        ],
      }),
    });
    const run = await runAgainst(fake, ["apply", "-f", file, "-f", "-", "-n", "demo-apps"], {
      stdin: "kind: ClusterIssuer\n",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(lines(run.stdout), [
      "certificate.cert-manager.io/myapp-tls created",
      "clusterissuer.cert-manager.io/demo-ca-issuer unchanged",
      "secret/ca configured",
    ]);
    const [request] = fake.callsTo("apply") as { manifests: string; defaultNamespace: string }[];
    assert.match(request?.manifests ?? "", /kind: Certificate[\s\S]*---[\s\S]*kind: ClusterIssuer/);
    assert.equal(request?.defaultNamespace, "demo-apps");
  });

  it("marks every outcome of a dry run", async () => {
    const fake = new FakeCertplaneApi({
      apply: async (request) => ({
        dryRun: request.dryRun === true,
        results: [{ kind: "Certificate", name: "myapp-tls", namespace: "default", outcome: "configured" }],
      }),
    });
    const run = await runAgainst(fake, ["apply", "-f", "-", "--dry-run"], { stdin: "kind: Certificate\n" });
    assert.equal(run.stdout, "certificate.cert-manager.io/myapp-tls configured (dry run)\n");
  });

  it("prints each validation issue as FIELD: MESSAGE and fails", async () => {
    const fake = new FakeCertplaneApi({
      apply: async () => {
        throw new ValidationError([
          { field: "spec.secretName", rule: "required", message: "secretName is required" },
          { field: "spec.issuerRef.name", rule: "required", message: "issuerRef.name is required" },
        ]);
      },
    });
    const run = await runAgainst(fake, ["apply", "-f", "-"], { stdin: "kind: Certificate\n" });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^ {2}spec\.secretName: secretName is required$/m);
    assert.match(run.stderr, /^ {2}spec\.issuerRef\.name: issuerRef\.name is required$/m);
  });
});

describe("certctl get", () => {
  const items = [
    certificate({ name: "myapp-tls", ready, created: "2026-01-10T09:00:00Z" }),
    certificate({ name: "short-lived-cert", ready: pending, created: "2026-01-10T11:59:55Z" }),
  ];
  const fake = new FakeCertplaneApi({
    get: async (request: GetRequest) => {
      if (request.name === "missing") throw new NotFoundError('certificates "missing" not found');
      return { items: request.namespace === "empty" ? [] : items };
    },
  });

  it("prints certificates with kubectl's columns and ages", async () => {
    const run = await runAgainst(fake, ["get", "certs", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const [header, first, second] = lines(run.stdout);
    assert.deepEqual(cells(header), ["NAME", "READY", "SECRET", "ISSUER", "AGE"]);
    assert.deepEqual(cells(first), ["myapp-tls", "True", "myapp-tls-secret", "demo-ca-issuer", "3h"]);
    assert.deepEqual(cells(second), [
      "short-lived-cert",
      "False",
      "short-lived-cert-secret",
      "demo-ca-issuer",
      "5s",
    ]);
    assert.deepEqual(fake.callsTo("get").at(-1), { kind: "Certificate", namespace: "demo-apps" });
  });

  it("adds STATUS, EXPIRATION and PUBLISHED with -o wide and NAMESPACE first with -A", async () => {
    const run = await runAgainst(fake, ["get", "certificates", "-A", "-o", "wide"]);
    const [header, first] = lines(run.stdout);
    assert.deepEqual(cells(header), [
      "NAMESPACE",
      "NAME",
      "READY",
      "SECRET",
      "ISSUER",
      "STATUS",
      "EXPIRATION",
      "PUBLISHED",
      "AGE",
    ]);
    assert.deepEqual(cells(first), [
      "demo-apps",
      "myapp-tls",
      "True",
      "myapp-tls-secret",
      "demo-ca-issuer",
      "Certificate is up to date and has not expired",
      "2026-04-10T09:00:00Z",
      // No SecretTarget receives it.
      "-",
      "3h",
    ]);
    assert.deepEqual(fake.callsTo("get").at(-1), { kind: "Certificate", allNamespaces: true });
  });

  it("prints a List as JSON and as YAML", async () => {
    const json = await runAgainst(fake, ["get", "cert", "-o", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), { apiVersion: "v1", kind: "List", items });
    const yaml = await runAgainst(fake, ["get", "cert", "-o", "yaml"]);
    assert.deepEqual(parseYaml(yaml.stdout), { apiVersion: "v1", kind: "List", items });
  });

  it("says so when a namespace holds nothing", async () => {
    const run = await runAgainst(fake, ["get", "certificates", "-n", "empty"]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, "No resources found in empty namespace.\n");
  });

  it("fails with the server's message when a named object is missing", async () => {
    const run = await runAgainst(fake, ["get", "certificate", "missing"]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'error: certificates "missing" not found\n');
  });
});

describe("certctl describe", () => {
  it("shows metadata, spec, conditions, related requests and events", async () => {
    const object = {
      ...certificate({ name: "myapp-tls", ready }),
      metadata: { name: "myapp-tls", namespace: "demo-apps", labels: { team: "payments" } },
    };
    const request = {
      apiVersion: "cert-manager.io/v1",
      kind: "CertificateRequest",
      metadata: { name: "myapp-tls-1", namespace: "demo-apps" },
      status: {
        conditions: [{ type: "Ready", status: "True", reason: "Issued", message: "Certificate fetched" }],
      },
    };
    const events = [
      {
        time: "2026-01-10T09:00:00Z",
        object: "Certificate demo-apps/myapp-tls",
        event: "IssuanceRequested",
        reason: "DoesNotExist",
        message: "Issuing certificate as Secret does not exist",
      },
      {
        time: "2026-01-10T09:00:02Z",
        object: "CertificateRequest demo-apps/myapp-tls-1",
        event: "CertificateIssued",
        reason: "Issued",
        message: "Certificate fetched",
      },
    ];
    const fake = new FakeCertplaneApi({ describe: async () => ({ object, related: [request], events }) });
    const run = await runAgainst(fake, ["describe", "certificate", "myapp-tls", "-n", "demo-apps"]);
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /^Name: +myapp-tls$/m);
    assert.match(out, /^Namespace: +demo-apps$/m);
    assert.match(out, /^Labels: +team=payments$/m);
    assert.match(out, /^Annotations: +<none>$/m);
    assert.match(out, /^API Version: +cert-manager\.io\/v1$/m);
    assert.match(out, /^Kind: +Certificate$/m);
    assert.match(out, /^Spec:\n {2}secretName: myapp-tls-secret$/m);
    assert.match(out, /^ {4}Type +Status +Reason +Message +Last Transition$/m);
    assert.match(out, /^ {4}Ready +True +Ready +Certificate is up to date and has not expired$/m);
    assert.match(
      out,
      /^Related CertificateRequests:\n {2}myapp-tls-1 +Ready=True \(Issued\): Certificate fetched$/m,
    );
    const eventLines = out.slice(out.indexOf("Events:")).split("\n");
    assert.deepEqual(cells(eventLines[1]), ["TIME", "OBJECT", "EVENT", "REASON", "MESSAGE"]);
    assert.equal(cells(eventLines[2])[2], "IssuanceRequested");
    assert.equal(cells(eventLines[3])[2], "CertificateIssued");
    assert.deepEqual(fake.callsTo("describe"), [
      { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" },
    ]);
  });
});

describe("certctl describe of a certificate that is backing off", () => {
  it("says how many attempts failed and when the next one is", async () => {
    const object = {
      ...certificate({ name: "flaky", ready }),
      status: {
        conditions: [{ type: "Ready", status: "False", reason: "DoesNotExist", message: "no secret" }],
        failedIssuanceAttempts: 2,
        lastFailureTime: "2026-01-10T09:00:00Z",
        nextAttemptTime: "2026-01-10T11:00:00Z",
      },
    };
    const fake = new FakeCertplaneApi({ describe: async () => ({ object, related: [], events: [] }) });
    const run = await runAgainst(fake, ["describe", "certificate", "flaky", "-n", "apps"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^ {2}Backing off: 2 failed issuance attempts; next attempt at 2026-01-10T11:00:00Z$/m,
    );
  });
});

describe("certctl wait", () => {
  /** A certificate that turns Ready on the `readyOnPoll`-th get. */
  function flipping(readyOnPoll: number) {
    let polls = 0;
    return new FakeCertplaneApi({
      get: async () => {
        polls += 1;
        if (polls === 1) throw new NotFoundError('certificates "myapp-tls" not found');
        return { items: [certificate({ name: "myapp-tls", ready: polls >= readyOnPoll ? ready : pending })] };
      },
    });
  }

  it("polls until the condition holds and reports progress on stderr", async () => {
    const fake = flipping(4);
    const run = await runAgainst(
      fake,
      ["wait", "certificate", "myapp-tls", "-n", "demo-apps", "--for=condition=Ready"],
      {
        pollIntervalMs: 500,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "certificate.cert-manager.io/myapp-tls condition met\n");
    assert.equal(fake.callsTo("get").length, 4);
    assert.deepEqual(lines(run.stderr), [
      "waiting for certificates/myapp-tls: not found yet (0s elapsed)",
      "waiting for certificates/myapp-tls: Ready=False (DoesNotExist): Issuing certificate as Secret does not exist (0s elapsed)",
    ]);
  });

  it("gives up at the timeout with the last status", async () => {
    const fake = flipping(Number.POSITIVE_INFINITY);
    const run = await runAgainst(
      fake,
      ["wait", "cert", "myapp-tls", "--for=condition=Ready", "--timeout=3s"],
      {
        pollIntervalMs: 500,
      },
    );
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      lines(run.stderr).at(-1),
      "error: timed out waiting for the condition on certificates/myapp-tls; last status: Ready=False (DoesNotExist): Issuing certificate as Secret does not exist",
    );
    assert.equal(fake.callsTo("get").length, 7);
  });
});

describe("certctl command-line mistakes", () => {
  const cases: readonly { readonly argv: readonly string[]; readonly error: RegExp }[] = [
    {
      argv: ["get", "widgets"],
      error: /^error: unknown resource type "widgets"; accepted: certificates, .*clusterissuers/,
    },
    {
      argv: ["get", "certs", "--cert", "x"],
      error: /^error: unknown flag --cert for "get"; accepted: -n\/--namespace/,
    },
    { argv: ["get", "certs", "--bogus"], error: /^error: unknown flag --bogus for "get"/ },
    { argv: ["get", "certs", "-n"], error: /^error: -n: flag needs a value/ },
    {
      argv: ["get", "certs", "-o", "xml"],
      error: /^error: unknown output format "xml" for -o; accepted: wide, yaml, json/,
    },
    { argv: ["describe", "certificate"], error: /^error: missing NAME; usage: certctl describe/ },
    { argv: ["frobnicate"], error: /^error: unknown command "frobnicate"; accepted: apply, get/ },
    { argv: [], error: /^error: missing command; accepted: apply/ },
    { argv: ["apply"], error: /^error: apply needs -f FILE/ },
    { argv: ["wait", "cert", "x", "--for=ready"], error: /^error: --for: must be condition=TYPE/ },
    { argv: ["renew"], error: /^error: renew takes either a certificate NAME or --all/ },
    {
      argv: ["get", "certs", "--server", "http://x:1"],
      error: /^error: --server: must be grpc:\/\/HOST:PORT, grpcs:\/\/HOST:PORT or nats:\/\/HOST:PORT/,
    },
  ];
  for (const { argv, error } of cases) {
    it(`rejects \`certctl ${argv.join(" ")}\` with one line`, async () => {
      const run = await runCertctl(argv);
      assert.equal(run.code, 1);
      assert.match(run.stderr, error);
      assert.equal(lines(run.stderr).length, 1, run.stderr);
    });
  }

  it("names the address and what to do when the server is unreachable", async () => {
    const run = await runCertctl(["get", "certs"], { env: { CERTPLANE_SERVER: "grpc://127.0.0.1:1" } });
    assert.equal(run.code, 1);
    assert.equal(lines(run.stderr).length, 1);
    assert.match(
      run.stderr,
      /^error: cannot reach the certplane API at 127\.0\.0\.1:1: .*pnpm start.*--server/,
    );
  });
});
