// Faults lose nothing: nats-server is killed (SIGKILL) and restarted on the same store while the
// five services are issuing; every certificate still becomes Ready exactly once.
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { eventually } from "./support/service-process.ts";

const count = 12;

function manifests(): string {
  const issuer =
    "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: chaos-selfsigned}\nspec: {selfSigned: {}}\n";
  const certificates = Array.from(
    { length: count },
    (_, i) => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: chaos-${i}, namespace: chaos}
spec:
  secretName: chaos-${i}-tls
  dnsNames: [chaos-${i}.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: chaos-selfsigned, kind: ClusterIssuer}
`,
  );
  return [issuer, ...certificates].join("---\n");
}

interface Listed {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

describe("chaos: nats-server killed and restarted during issuance", () => {
  let plane: FiveProcessPlane;

  before(async () => {
    plane = await startFiveProcessPlane();
  });

  after(async () => {
    await plane?.dispose();
  });

  test("every certificate becomes Ready exactly once, with nothing lost", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "certplane-chaos-")), "chaos.yaml");
    await writeFile(file, manifests());
    const applied = await certctl(plane.grpcServer, "apply", "-f", file);
    assert.equal(applied.code, 0, applied.stderr);

    // Kill the server while issuance is under way, keep it down a moment, then bring it back.
    await plane.nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await plane.nats.restart();

    const ready = await eventually(
      `all ${count} certificates Ready after the restart`,
      async () => {
        const listed = await certctl(plane.grpcServer, "get", "certificates", "-n", "chaos", "-o", "json");
        if (listed.code !== 0) return undefined;
        const parsed = JSON.parse(listed.stdout) as Listed;
        const done = parsed.items.filter((item) =>
          item.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        );
        return done.length === count ? done : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, onTimeout: plane.logs },
    );
    assert.equal(ready.length, count);

    // Exactly once: each certificate has one issued revision and one request.
    for (let i = 0; i < count; i++) {
      const history = await certctl(
        plane.grpcServer,
        "history",
        "certificate",
        `chaos-${i}`,
        "-n",
        "chaos",
        "--revisions",
      );
      assert.equal(history.code, 0, history.stderr);
      const revisions = history.stdout
        .split("\n")
        .filter((line) => new RegExp(`^\\s*\\d+\\s+chaos-${i}-\\d+`).test(line));
      assert.equal(revisions.length, 1, `chaos-${i}:\n${history.stdout}`);
    }
  });
});
