import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { plainCsrPem } from "@certplane/domain/testing/pem-fixtures";
import { type Harness, seedManifests, startHarness } from "../testing/harness.ts";

const seedResults = [
  { kind: "Namespace", name: "cert-manager", outcome: "unchanged" },
  { kind: "Namespace", name: "demo-apps", outcome: "unchanged" },
  { kind: "ClusterIssuer", name: "selfsigned-issuer", outcome: "created" },
  { kind: "Certificate", name: "demo-ca", namespace: "cert-manager", outcome: "created" },
  { kind: "ClusterIssuer", name: "demo-ca-issuer", outcome: "created" },
  { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", outcome: "created" },
  { kind: "Certificate", name: "short-lived-cert", namespace: "demo-apps", outcome: "created" },
];

const certificate = (name: string, spec: string, extra = "") => `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: ${name}
  namespace: demo-apps
${extra}
spec:
  secretName: ${name}-tls
  issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer }
${spec}`;

describe("apply", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  it("accepts the deep dive's production patterns (ACME, wildcard DNS-01, company CA, Vault) verbatim", async () => {
    const manifests = readFileSync(
      new URL("../../../../examples/production-patterns.yaml", import.meta.url),
      "utf8",
    );
    const response = await h.intake.api.apply({ manifests });
    assert.deepEqual(
      response.results.map((r) => `${r.kind}/${r.name} ${r.outcome}`),
      [
        "ClusterIssuer/letsencrypt-prod created",
        "ClusterIssuer/letsencrypt-wildcard created",
        "ClusterIssuer/company-ca-issuer created",
        "ClusterIssuer/vault-issuer created",
      ],
    );
  });

  it("turns the deep dive's Ingress into its Certificate, and a changed Ingress changes it", async () => {
    const ingress = readFileSync(new URL("../../../../examples/ingress.yaml", import.meta.url), "utf8");
    const first = await h.intake.api.apply({ manifests: ingress });
    assert.deepEqual(
      first.results.map((r) => `${r.kind}/${r.namespace}/${r.name} ${r.outcome}`),
      ["Certificate/demo-apps/hello-app-tls created"],
    );
    const { object } = await h.intake.api.describe({
      kind: "Certificate",
      name: "hello-app-tls",
      namespace: "demo-apps",
    });
    assert.deepEqual((object.spec as { dnsNames?: string[] }).dnsNames, ["hello.example.com"]);
    assert.deepEqual((object.spec as { issuerRef?: unknown }).issuerRef, {
      name: "demo-ca-issuer",
      kind: "ClusterIssuer",
      group: "cert-manager.io",
    });
    const changed = await h.intake.api.apply({
      manifests: ingress.replace(/(\n\s*)- hello\.example\.com/, "$1- hello.example.com$1- hi.example.com"),
    });
    assert.deepEqual(
      changed.results.map((r) => r.outcome),
      ["configured"],
    );
  });

  const shopIngress = (secretNames: readonly string[]) =>
    [
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: shop",
      "  namespace: demo-apps",
      "  annotations: { cert-manager.io/cluster-issuer: demo-ca-issuer }",
      "spec:",
      "  tls:",
      ...secretNames.map((name) => `    - { hosts: [${name}.example.com], secretName: ${name} }`),
    ].join("\n");

  it("prunes a Certificate whose tls entry left the Ingress, and deleting the Ingress deletes the rest", async () => {
    const first = await h.intake.api.apply({ manifests: shopIngress(["shop-a", "shop-b"]) });
    assert.deepEqual(
      first.results.map((r) => `${r.name} ${r.outcome}`),
      ["shop-a created", "shop-b created"],
    );
    const dryRun = await h.intake.api.apply({ manifests: shopIngress(["shop-a"]), dryRun: true });
    assert.deepEqual(
      dryRun.results.map((r) => `${r.name} ${r.outcome}`),
      ["shop-a unchanged", "shop-b pruned"],
    );
    assert.equal((await h.store.read("certificate-demo-apps_shop-b")).events.length, 1);
    const second = await h.intake.api.apply({ manifests: shopIngress(["shop-a"]) });
    assert.deepEqual(
      second.results.map((r) => `${r.name} ${r.outcome}`),
      ["shop-a unchanged", "shop-b pruned"],
    );
    const gone = await h.store.read("certificate-demo-apps_shop-b");
    assert.equal(gone.events.at(-1)?.type, "CertificateDeleted");

    assert.deepEqual(await h.intake.api.delete({ kind: "Ingress", name: "shop", namespace: "demo-apps" }), {
      deleted: true,
    });
    const deleted = await h.store.read("certificate-demo-apps_shop-a");
    assert.equal(deleted.events.at(-1)?.type, "CertificateDeleted");
    await assert.rejects(
      h.intake.api.delete({ kind: "Ingress", name: "shop", namespace: "demo-apps" }),
      /no Certificates were made from Ingress demo-apps\/shop/,
    );
  });

  it("refuses an Ingress implying a Certificate it did not make, naming both, and writes nothing", async () => {
    const own = [
      "apiVersion: cert-manager.io/v1",
      "kind: Certificate",
      "metadata: { name: taken-tls, namespace: demo-apps }",
      "spec: { secretName: taken-tls, dnsNames: [taken.example.com], issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer } }",
    ].join("\n");
    await h.intake.api.apply({ manifests: own });
    const before = (await h.store.read("certificate-demo-apps_taken-tls")).events.length;
    await assert.rejects(
      h.intake.api.apply({ manifests: shopIngress(["taken-tls", "fresh-tls"]) }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(
          error.issues.map((i) => [i.object, i.field, i.rule]),
          [["Ingress demo-apps/shop", "spec.tls", "certificateExists"]],
        );
        assert.match(error.issues[0]?.message ?? "", /Certificate demo-apps\/taken-tls.*no Ingress made/);
        return true;
      },
    );
    assert.equal((await h.store.read("certificate-demo-apps_taken-tls")).events.length, before);
    assert.equal((await h.store.read("certificate-demo-apps_fresh-tls")).events.length, 0);
  });

  it("refuses an Ingress naming both issuer kinds, naming the Ingress and the annotation", async () => {
    const manifests = [
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      "  name: both",
      "  namespace: demo-apps",
      "  annotations: { cert-manager.io/issuer: a, cert-manager.io/cluster-issuer: b }",
      "spec: { tls: [{ hosts: [x.example.com], secretName: x-tls }] }",
    ].join("\n");
    await assert.rejects(h.intake.api.apply({ manifests }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.issues.map((i) => [i.object, i.field]),
        [["Ingress demo-apps/both", "metadata.annotations[cert-manager.io/cluster-issuer]"]],
      );
      return true;
    });
    assert.equal((await h.store.read("certificate-demo-apps_x-tls")).events.length, 0);
  });

  it("accepts the two-cluster example's kubeconfig Secrets and SecretTargets", async () => {
    const manifests = readFileSync(
      new URL("../../../../examples/multi-cluster.yaml", import.meta.url),
      "utf8",
    );
    const response = await h.intake.api.apply({ manifests, dryRun: true });
    assert.deepEqual(
      response.results.map((r) => `${r.kind}/${r.name} ${r.outcome}`),
      [
        "Secret/kubeconfig-east created",
        "Secret/kubeconfig-west created",
        "SecretTarget/east created",
        "SecretTarget/west created",
      ],
    );
  });

  it("accepts the NATS KV example's credentials Secret and SecretTarget", async () => {
    const manifests = readFileSync(new URL("../../../../examples/nats-kv.yaml", import.meta.url), "utf8");
    const response = await h.intake.api.apply({ manifests, dryRun: true });
    assert.deepEqual(
      response.results.map((r) => `${r.kind}/${r.name} ${r.outcome}`),
      ["Secret/edge-nats created", "SecretTarget/edge-kv created"],
    );
  });

  it("refuses a SecretTarget naming two destinations, saying which field and what to write, and writes nothing", async () => {
    const manifests = [
      "apiVersion: certplane.io/v1alpha1",
      "kind: SecretTarget",
      "metadata: { name: both }",
      "spec:",
      "  kubernetes: { kubeconfigSecretRef: { name: k } }",
      "  file: { directory: /srv/certs }",
    ].join("\n");
    await assert.rejects(h.intake.api.apply({ manifests }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.issues.map((i) => [i.object, i.field, i.message]),
        [
          [
            "SecretTarget both",
            "spec",
            "a SecretTarget names one destination, got kubernetes and file: write one SecretTarget per destination",
          ],
        ],
      );
      return true;
    });
    assert.equal((await h.store.read("secretTarget-both")).events.length, 0);
  });

  it("creates the seed's issuers and certificates, recording only their specs, for the caller", async () => {
    const response = await h.intake.api.apply(
      { manifests: seedManifests },
      { actor: "x509:CN=alice", identities: ["x509:CN=alice"] },
    );
    assert.equal(response.dryRun, false);
    assert.deepEqual(response.results, seedResults);

    // Whether a new certificate is needed is the renewal-scheduler's decision on its own stream
    // (renewal-scheduler.unit.spec.ts); intake's stream holds what the user asserted.
    const short = await h.store.read("certificate-demo-apps_short-lived-cert");
    assert.deepEqual(
      short.events.map((e) => e.type),
      ["CertificateApplied"],
    );
    assert.equal(short.events[0]!.metadata.producer, "intake");
    const applied = short.events[0]!.data as {
      spec: { duration: string; renewBefore: string; dnsNames: string[] };
    };
    assert.deepEqual(
      [applied.spec.duration, applied.spec.renewBefore, applied.spec.dnsNames],
      ["1h", "30m", ["short-lived.example.com"]],
    );
    assert.equal(short.events[0]!.metadata.actor, "x509:CN=alice");
    const issuer = await h.store.read("clusterIssuer-demo-ca-issuer");
    assert.deepEqual(
      issuer.events.map((e) => e.type),
      ["IssuerApplied"],
    );
  });

  it("re-applying the unchanged seed reports every object unchanged and appends nothing", async () => {
    const before = (await h.allEvents()).length;
    const response = await h.intake.api.apply({ manifests: seedManifests });
    assert.deepEqual(
      response.results.map((r) => r.outcome),
      seedResults.map(() => "unchanged"),
    );
    assert.equal((await h.allEvents()).length, before);
  });

  it("a changed issuance field configures the certificate with a new generation", async () => {
    const changed = seedManifests.replace("- short-lived.example.com", "- short-lived.example.org");
    const response = await h.intake.api.apply({ manifests: changed });
    const short = response.results.find((r) => r.name === "short-lived-cert");
    assert.equal(short?.outcome, "configured");
    const events = (await h.store.read("certificate-demo-apps_short-lived-cert")).events;
    assert.deepEqual(
      events.map((e) => e.type),
      ["CertificateApplied", "CertificateApplied"],
    );
    assert.equal((events[1]!.data as { meta: { generation: number } }).meta.generation, 2);
  });

  it("a label change configures the object without a new generation", async () => {
    const labelled = certificate("labelled", "  dnsNames: [l.example.com]");
    await h.intake.api.apply({ manifests: labelled });
    const response = await h.intake.api.apply({
      manifests: certificate("labelled", "  dnsNames: [l.example.com]", "  labels: { team: payments }"),
    });
    assert.equal(response.results[0]?.outcome, "configured");
    const [item] = (await h.intake.api.get({ kind: "Certificate", name: "labelled", namespace: "demo-apps" }))
      .items;
    assert.equal(item?.metadata.generation, 1);
    assert.deepEqual(item?.metadata.labels, { team: "payments" });
  });

  it("refuses a manifest with one invalid document, names object and field, and changes nothing", async () => {
    const before = (await h.allEvents()).length;
    const manifests = [
      certificate("fine-one", "  dnsNames: [fine.example.com]"),
      certificate("bad-renewal", "  dnsNames: [bad.example.com]\n  duration: 1h\n  renewBefore: 2h"),
      `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: two-types
spec:
  selfSigned: {}
  ca: { secretName: x }`,
    ].join("\n---\n");
    const error = await h.intake.api.apply({ manifests }).then(
      () => assert.fail("apply should have been refused"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ValidationError);
    const renewBefore = error.issues.find((i) => i.field === "spec.renewBefore");
    assert.ok(renewBefore, JSON.stringify(error.issues));
    assert.equal(renewBefore.object, "Certificate demo-apps/bad-renewal");
    assert.match(
      error.message,
      /Certificate demo-apps\/bad-renewal: spec\.renewBefore: certificate duration/,
    );
    assert.ok(error.issues.some((i) => i.object === "ClusterIssuer two-types"));
    assert.ok(error.issues.every((i) => i.object !== undefined && !i.object.includes("fine-one")));
    assert.equal((await h.allEvents()).length, before);
  });

  it("refuses an unknown kind on the kind field", async () => {
    const error = await h.intake.api
      .apply({ manifests: "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n" })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.issues[0]?.field, "kind");
    assert.match(error.issues[0]!.object ?? "", /^ConfigMap default\/x|^ConfigMap x|^document 1/);
  });

  it("reports a YAML syntax error by document and line without quoting the input", async () => {
    const error = await h.intake.api
      .apply({ manifests: "apiVersion: v1\n---\nkind: [unclosed\n" })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.issues[0]?.field, "manifests");
    assert.match(error.issues[0]!.message, /^document 2, line \d+: /);
    assert.ok(!error.message.includes("unclosed"));
  });

  it("a dry run reports what would happen and appends nothing", async () => {
    const before = (await h.allEvents()).length;
    const manifests = `${certificate("dry-new", "  dnsNames: [dry.example.com]")}\n---\n${seedManifests}`;
    const response = await h.intake.api.apply({ manifests, dryRun: true });
    assert.equal(response.dryRun, true);
    assert.equal(response.results[0]?.outcome, "created");
    assert.equal(response.results.find((r) => r.name === "myapp-tls")?.outcome, "unchanged");
    assert.equal((await h.allEvents()).length, before);
  });

  it("puts namespaced objects without a namespace into the default namespace", async () => {
    const manifests = `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: { name: local-selfsigned }
spec: { selfSigned: {} }`;
    const response = await h.intake.api.apply({ manifests, defaultNamespace: "team-a" });
    assert.deepEqual(response.results, [
      { kind: "Issuer", name: "local-selfsigned", namespace: "team-a", outcome: "created" },
    ]);
    assert.equal((await h.store.read("issuer-team-a_local-selfsigned")).events.length, 1);
  });

  it("refuses to change an existing CertificateRequest's spec and writes nothing", async () => {
    const request = (usages: string) => `apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata: { name: manual-1, namespace: demo-apps }
spec:
  request: ${Buffer.from(plainCsrPem).toString("base64")}
  issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer }
  usages: [${usages}]`;
    const created = await h.intake.api.apply({ manifests: request("digital signature") });
    assert.equal(created.results[0]?.outcome, "created");
    assert.equal(
      (await h.intake.api.apply({ manifests: request("digital signature") })).results[0]?.outcome,
      "unchanged",
    );
    // The approver may still be reacting to the request created above; nothing else may appear.
    const outsideRequests = async () =>
      (await h.allEvents()).filter((e) => !e.stream.startsWith("certificateRequest-")).length;
    const before = await outsideRequests();
    const error = await h.intake.api
      .apply({
        manifests: `${certificate("not-written", "  dnsNames: [n.example.com]")}\n---\n${request("server auth")}`,
      })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.match(error.issues[0]!.message, /^CertificateRequest demo-apps\/manual-1: cannot change spec/);
    assert.equal(await outsideRequests(), before);
    assert.equal((await h.store.read("certificate-demo-apps_not-written")).events.length, 0);
  });

  describe("a keystore's literal password", () => {
    const withPassword = (name: string, password: string) =>
      certificate(
        name,
        `  dnsNames: [${name}.example.com]
  keystores:
    pkcs12: { create: true, password: "${password}" }`,
      );
    const storedPassword = async (name: string) => {
      const applied = (await h.store.read(`certificate-demo-apps_${name}`)).events.find(
        (e) => e.type === "CertificateApplied",
      );
      const data = applied?.data as { spec: { keystores: { pkcs12: { password: string } } } };
      return { text: JSON.stringify(applied?.data), password: data.spec.keystores.pkcs12.password };
    };

    it("is sealed before it is recorded, and an unchanged manifest stays unchanged", async () => {
      const plaintext = "p12-literal-secret";
      await h.intake.api.apply({ manifests: withPassword("sealed-ks", plaintext) });
      const stored = await storedPassword("sealed-ks");
      assert.ok(!stored.text.includes(plaintext), "the event holds no plaintext password");
      assert.match(stored.password, /^sealed:v1:/);
      const again = await h.intake.api.apply({ manifests: withPassword("sealed-ks", plaintext) });
      assert.equal(again.results[0]?.outcome, "unchanged");
      // What `get -o yaml` shows can be applied again as it is.
      const roundTrip = await h.intake.api.apply({ manifests: withPassword("sealed-ks", stored.password) });
      assert.equal(roundTrip.results[0]?.outcome, "unchanged");
      const changed = await h.intake.api.apply({ manifests: withPassword("sealed-ks", "another") });
      assert.equal(changed.results[0]?.outcome, "configured");
    });

    it("refuses another Certificate's sealed password, naming the field, and writes nothing", async () => {
      await h.intake.api.apply({ manifests: withPassword("sealed-a", "for-a-only") });
      const { password } = await storedPassword("sealed-a");
      const error = await h.intake.api
        .apply({ manifests: withPassword("sealed-b", password) })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ValidationError);
      assert.equal(error.issues[0]?.field, "spec.keystores.pkcs12.password");
      assert.match(error.issues[0]!.message, /does not open for this Certificate/);
      assert.equal((await h.store.read("certificate-demo-apps_sealed-b")).events.length, 0);
    });
  });

  it("refuses a CertificateRequest whose CSR is not signed by its own key, and writes nothing", async () => {
    const der = Buffer.from(plainCsrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[der.length - 1]! ^= 0x01; // the last octet of the signature's s
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    const manifest = `apiVersion: cert-manager.io/v1
kind: CertificateRequest
metadata: { name: forged-1, namespace: demo-apps }
spec:
  request: ${Buffer.from(forged).toString("base64")}
  issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer }`;
    const error = await h.intake.api.apply({ manifests: manifest }).catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.issues.map(({ field, rule }) => `${field} ${rule}`),
      ["spec.request csrSignature"],
    );
    assert.match(error.message, /CertificateRequest demo-apps\/forged-1/);
    assert.equal((await h.store.read("certificateRequest-demo-apps_forged-1")).events.length, 0);
  });
});
