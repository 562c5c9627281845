import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApplyResult, GetRequest, ResourceObject } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { NotFoundError } from "@certplane/domain";
import { runAgainst } from "./testing/cli-harness.ts";
import { certificate, pending, ready } from "./testing/resources.ts";

const applied: readonly ApplyResult[] = [
  { kind: "ClusterIssuer", name: "demo-ca-issuer", outcome: "created" },
  { kind: "Certificate", name: "demo-ca", namespace: "cert-manager", outcome: "created" },
  { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", outcome: "created" },
  { kind: "Certificate", name: "short-lived-cert", outcome: "unchanged" },
];

/** Each Certificate turns Ready after `readyAfter` reads of it; until its first read it is not visible. */
function fakeIssuing(readyAfter: Readonly<Record<string, number>>) {
  const reads = new Map<string, number>();
  return new FakeCertplaneApi({
    apply: async () => ({ dryRun: false, results: applied }),
    get: async (request: GetRequest) => {
      const name = request.name ?? "";
      const count = (reads.get(name) ?? 0) + 1;
      reads.set(name, count);
      if (count === 1) throw new NotFoundError(`certificates "${name}" not found`);
      const state = count > (readyAfter[name] ?? Number.POSITIVE_INFINITY) ? ready : pending;
      const object: ResourceObject = certificate({ name, ready: state, ...namespaced(request) });
      return { items: [object] };
    },
  });
}

const namespaced = (request: GetRequest) =>
  request.namespace === undefined ? {} : { namespace: request.namespace };

describe("certctl apply --wait", () => {
  it("waits until every applied Certificate is Ready, counting them on stderr", async () => {
    const fake = fakeIssuing({ "demo-ca": 1, "myapp-tls": 2, "short-lived-cert": 3 });
    const run = await runAgainst(fake, ["apply", "-f", "-", "--wait", "-n", "demo-apps"], {
      stdin: "kind: Certificate\n",
      pollIntervalMs: 1_000,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^certificate\.cert-manager\.io\/myapp-tls created$/m);
    assert.equal(
      run.stderr,
      [
        "0/3 certificates ready",
        "1/3 certificates ready",
        "2/3 certificates ready",
        "3/3 certificates ready",
        "",
      ].join("\n"),
    );
    // A result without a namespace is in the -n namespace; ClusterIssuers are not waited for.
    const asked = fake.callsTo("get") as GetRequest[];
    assert.deepEqual(
      [...new Set(asked.map((r) => `${r.kind} ${r.namespace}/${r.name}`))],
      [
        "Certificate cert-manager/demo-ca",
        "Certificate demo-apps/myapp-tls",
        "Certificate demo-apps/short-lived-cert",
      ],
    );
  });

  it("fails after --timeout naming each Certificate not Ready with its Ready condition", async () => {
    const fake = fakeIssuing({ "demo-ca": 1 });
    const run = await runAgainst(fake, ["apply", "-f", "-", "--wait", "--timeout=5s", "-n", "demo-apps"], {
      stdin: "kind: Certificate\n",
      pollIntervalMs: 1_000,
    });
    assert.equal(run.code, 1);
    const message = "Ready=False (DoesNotExist): Issuing certificate as Secret does not exist";
    assert.equal(
      run.stderr,
      [
        "0/3 certificates ready",
        "1/3 certificates ready",
        "error: timed out waiting for 2 of 3 certificates to be Ready:",
        `  certificate.cert-manager.io/myapp-tls -n demo-apps: ${message}`,
        `  certificate.cert-manager.io/short-lived-cert -n demo-apps: ${message}`,
        "",
      ].join("\n"),
    );
  });

  it("refuses --wait with --dry-run, --timeout without --wait and a value for --wait", async () => {
    const fake = new FakeCertplaneApi({});
    for (const [args, message] of [
      [
        ["--wait", "--dry-run"],
        "error: --wait cannot be combined with --dry-run: nothing is applied to wait for\n",
      ],
      [["--timeout=5s"], "error: --timeout bounds --wait; pass --wait too\n"],
      [["--wait=5s"], "error: apply --wait takes no value; bound it with --timeout=DURATION\n"],
    ] as const) {
      const run = await runAgainst(fake, ["apply", "-f", "-", ...args], { stdin: "kind: Certificate\n" });
      assert.equal(run.code, 1);
      assert.equal(run.stderr, message);
    }
    assert.equal(fake.calls.length, 0);
  });
});
