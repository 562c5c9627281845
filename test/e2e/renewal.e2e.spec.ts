// A real renewal through the five processes over NATS: the test's signer issues certificates that
// live 8 seconds (its own issuer configuration), so the renewal-scheduler renews at two thirds of
// that lifetime and the secret is replaced in place.
import assert from "node:assert/strict";
import { mkdtemp, readFile, realpath, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseCertificate, publicKeysMatch } from "@certplane/pki";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { eventually } from "./support/service-process.ts";

const manifest = `
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: renewal-selfsigned
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ticker
  namespace: renewals
spec:
  secretName: ticker-tls
  dnsNames: [ticker.example.com]
  duration: 1h
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: renewal-selfsigned, kind: ClusterIssuer}
`;

describe("renewal over five processes", () => {
  let plane: FiveProcessPlane;

  before(async () => {
    plane = await startFiveProcessPlane({ perService: { signer: { CERTPLANE_SIGNER_MAX_DURATION: "8s" } } });
  });

  after(async () => {
    await plane?.dispose();
  });

  test("a certificate is renewed before it expires and its secret is replaced at the same path", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "certplane-renewal-")), "ticker.yaml");
    await writeFile(file, manifest);
    const applied = await certctl(plane.grpcServer, "apply", "-f", file);
    assert.equal(applied.code, 0, applied.stderr);
    const ready = await certctl(
      plane.grpcServer,
      ...["wait", "certificate", "ticker", "-n", "renewals", "--for=condition=Ready", "--timeout=60s"],
    );
    assert.equal(ready.code, 0, `${ready.stderr}\n${plane.logs()}`);

    const dir = join(plane.secretsDir, "renewals", "ticker-tls");
    const first = parseCertificate(await readFile(join(dir, "tls.crt"), "utf8"));
    assert.equal(first.notAfter.getTime() - first.notBefore.getTime(), 8_000);

    const renewed = await eventually(
      "the secret to hold a renewed certificate",
      async () => {
        const current = parseCertificate(await readFile(join(dir, "tls.crt"), "utf8"));
        return current.serialNumber !== first.serialNumber ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, onTimeout: plane.logs },
    );
    // Renewed before the first one expired, and the new pair at the same path belongs together.
    assert.ok(renewed.notBefore.getTime() < first.notAfter.getTime());
    // Readers resolve the link once, like kubelet's AtomicWriter consumers, and read one version.
    const version = await realpath(dir);
    const key = await readFile(join(version, "tls.key"), "utf8");
    const crt = await readFile(join(version, "tls.crt"), "utf8");
    assert.ok(publicKeysMatch(key, crt));

    const history = await certctl(
      plane.grpcServer,
      "history",
      "certificate",
      "ticker",
      "-n",
      "renewals",
      "--revisions",
    );
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /ticker-1\s.*DoesNotExist/);
    assert.match(history.stdout, /ticker-2\s.*Renewing/);
  });
});
