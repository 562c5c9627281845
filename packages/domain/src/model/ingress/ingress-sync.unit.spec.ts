import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { certificatesForIngress } from "./ingress-certificates.ts";
import type { ExistingCertificate, IngressSource } from "./ingress-sync.ts";
import { planIngressSync } from "./ingress-sync.ts";

const ingress = (secretNames: readonly string[], cluster?: string) =>
  certificatesForIngress(
    {
      metadata: {
        name: "shop",
        namespace: "web",
        annotations: { "cert-manager.io/cluster-issuer": "ca" },
      },
      spec: { tls: secretNames.map((secretName) => ({ hosts: [`${secretName}.example.com`], secretName })) },
    },
    cluster === undefined ? {} : { cluster },
  );

const existing = (name: string, annotations: Record<string, string>): ExistingCertificate => ({
  name,
  annotations,
});

describe("planIngressSync", () => {
  const manifest: IngressSource = { namespace: "web", name: "shop" };
  const watched: IngressSource = { ...manifest, cluster: "east" };

  it("applies what the Ingress implies and prunes the Certificates it made that it no longer implies", () => {
    const plan = planIngressSync(manifest, ingress(["a-tls"]), [
      existing("a-tls", { "certplane.io/ingress": "web/shop" }),
      existing("b-tls", { "certplane.io/ingress": "web/shop" }),
      existing("c-tls", { "certplane.io/ingress": "web/other" }),
      existing("d-tls", {}),
    ]);
    assert.deepEqual(
      plan.apply.map((c) => c.metadata.name),
      ["a-tls"],
    );
    assert.deepEqual(plan.remove, ["b-tls"]);
    assert.deepEqual(plan.conflicts, []);
  });

  it("never takes over a Certificate it did not make, and says what to do", () => {
    const plan = planIngressSync(manifest, ingress(["a-tls", "d-tls"]), [existing("d-tls", {})]);
    assert.deepEqual(
      plan.apply.map((c) => c.metadata.name),
      ["a-tls"],
    );
    assert.equal(plan.conflicts.length, 1);
    assert.equal(plan.conflicts[0]?.name, "d-tls");
    assert.match(plan.conflicts[0]?.message ?? "", /no Ingress made.*rename the tls entry's secretName/);
  });

  it("keeps an applied Ingress and a watched one of the same name apart", () => {
    const fromManifest = existing("a-tls", { "certplane.io/ingress": "web/shop" });
    const fromCluster = existing("b-tls", {
      "certplane.io/ingress": "web/shop",
      "certplane.io/ingress-cluster": "east",
    });
    const deleted = planIngressSync(watched, [], [fromManifest, fromCluster]);
    assert.deepEqual(deleted.remove, ["b-tls"]);
    const conflict = planIngressSync(watched, ingress(["a-tls"], "east"), [fromManifest]);
    assert.match(conflict.conflicts[0]?.message ?? "", /made from Ingress web\/shop/);
  });

  it("marks a watched Ingress's Certificates with the cluster and publishes them back there", () => {
    const [certificate] = ingress(["a-tls"], "east");
    assert.deepEqual(certificate?.metadata.annotations, {
      "certplane.io/ingress": "web/shop",
      "certplane.io/ingress-cluster": "east",
      "certplane.io/secret-targets": "east",
    });
  });
});
