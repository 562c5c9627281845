// One certificate, many clusters (cert-manager #494, #3298), over the five service processes and
// two real kube-apiservers: the seed chain plus a SecretTarget per cluster puts myapp-tls-secret
// into both as cert-manager would write it; a renew reaches both; a Secret certplane did not create
// is left alone and reported; a cluster that is down during a renew catches up when it returns.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { KubeClusterHandle } from "@certplane/testing/kube";
import { startKubeCluster } from "@certplane/testing/kube";
import { CoreV1Api, type V1Secret } from "@kubernetes/client-node";
import { withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { openssl } from "./support/openssl.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

interface PublicationLine {
  readonly target: string;
  readonly revision?: number;
  readonly upToDate: boolean;
  readonly lastError?: { readonly message: string };
}

interface CertificateJson {
  readonly status: {
    readonly revision?: number;
    readonly conditions: readonly { type: string; status: string; message: string }[];
    readonly publications?: readonly PublicationLine[];
  };
}

const targetManifests = (clusters: readonly KubeClusterHandle[]) =>
  clusters
    .flatMap((cluster) => [
      "apiVersion: v1",
      "kind: Secret",
      "type: Opaque",
      `metadata: { name: kubeconfig-${cluster.name}, namespace: cert-manager }`,
      "stringData:",
      "  kubeconfig: |",
      ...cluster
        .kubeconfigYaml()
        .split("\n")
        .map((line) => `    ${line}`),
      "---",
      "apiVersion: certplane.io/v1alpha1",
      "kind: SecretTarget",
      `metadata: { name: ${cluster.name} }`,
      "spec:",
      "  selector: { namespaces: [demo-apps] }",
      `  kubernetes: { kubeconfigSecretRef: { name: kubeconfig-${cluster.name} } }`,
      "---",
    ])
    .join("\n");

async function secretIn(
  cluster: KubeClusterHandle,
  namespace: string,
  name: string,
): Promise<V1Secret | undefined> {
  try {
    return await cluster.kubeConfig().makeApiClient(CoreV1Api).readNamespacedSecret({ namespace, name });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

const decoded = (secret: V1Secret, key: string) =>
  Buffer.from(secret.data?.[key] ?? "", "base64").toString("utf8");

describe("one certificate published to two real clusters", () => {
  let east: KubeClusterHandle;
  let west: KubeClusterHandle;
  let plane: FiveProcessPlane;
  let workDir: string;

  before(async () => {
    [east, west] = await Promise.all([
      startKubeCluster({ name: "east" }),
      startKubeCluster({ name: "west" }),
    ]);
    for (const cluster of [east, west]) await cluster.createNamespace("demo-apps");
    plane = await startFiveProcessPlane();
    workDir = await mkdtemp(join(tmpdir(), "certplane-multi-cluster-"));
  });

  after(async () => {
    await plane?.dispose();
    await Promise.all([east?.dispose(), west?.dispose()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const certificate = async (name: string): Promise<CertificateJson> => {
    const got = await certctl(plane.grpcServer, "get", "certificate", name, "-n", "demo-apps", "-o", "json");
    assert.equal(got.code, 0, got.stderr);
    return JSON.parse(got.stdout) as CertificateJson;
  };

  const bothHold = (revision: number) =>
    eventually(
      `myapp-tls revision ${revision} published to both clusters`,
      async () => {
        const status = (await certificate("myapp-tls")).status;
        const lines = status.publications ?? [];
        const done =
          status.revision === revision &&
          lines.length === 2 &&
          lines.every((l) => l.upToDate && l.revision === revision);
        return done ? status : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );

  test("the seed chain lands in both clusters as cert-manager writes it, and a renew reaches both", async () => {
    await applySeedAndWait(plane.grpcServer);
    const applied = await withManifest(targetManifests([east, west]), (file) =>
      certctl(plane.grpcServer, "apply", "-f", file),
    );
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /secrettarget\.certplane\.io\/east created/);

    const first = await bothHold(1);
    assert.equal(first.conditions.find((c) => c.type === "Published")?.status, "True");

    for (const cluster of [east, west]) {
      const secret = await secretIn(cluster, "demo-apps", "myapp-tls-secret");
      assert.ok(secret, `myapp-tls-secret in ${cluster.name}`);
      assert.equal(secret.type, "kubernetes.io/tls");
      const annotations = secret.metadata?.annotations ?? {};
      assert.equal(annotations["cert-manager.io/certificate-name"], "myapp-tls");
      assert.equal(annotations["cert-manager.io/issuer-name"], "demo-ca-issuer");
      assert.equal(annotations["cert-manager.io/issuer-kind"], "ClusterIssuer");
      assert.equal(annotations["cert-manager.io/common-name"], "myapp.example.com");
      assert.equal(annotations["cert-manager.io/alt-names"], "myapp.example.com,www.myapp.example.com");
      const dir = join(workDir, cluster.name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "tls.crt"), decoded(secret, "tls.crt"));
      await writeFile(join(dir, "ca.crt"), decoded(secret, "ca.crt"));
      await writeFile(join(dir, "tls.key"), decoded(secret, "tls.key"), { mode: 0o600 });
      assert.match(
        await openssl(["verify", "-CAfile", join(dir, "ca.crt"), join(dir, "tls.crt")]),
        /tls\.crt: OK/,
      );
      const certPub = await openssl(["x509", "-in", join(dir, "tls.crt"), "-noout", "-pubkey"]);
      const keyPub = await openssl(["pkey", "-in", join(dir, "tls.key"), "-pubout"]);
      assert.equal(certPub.trim(), keyPub.trim());
    }

    const wide = await certctl(plane.grpcServer, "get", "certificates", "-n", "demo-apps", "-o", "wide");
    assert.match(wide.stdout, /myapp-tls\s.*\s2\/2\s/);

    const before = decoded((await secretIn(east, "demo-apps", "myapp-tls-secret"))!, "tls.crt");
    const renewed = await certctl(plane.grpcServer, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    await bothHold(2);
    const eastAfter = decoded((await secretIn(east, "demo-apps", "myapp-tls-secret"))!, "tls.crt");
    const westAfter = decoded((await secretIn(west, "demo-apps", "myapp-tls-secret"))!, "tls.crt");
    assert.notEqual(eastAfter, before);
    assert.equal(eastAfter, westAfter);
  });

  test("a published Secret deleted or edited in a cluster is put back", async () => {
    const published = decoded((await secretIn(east, "demo-apps", "myapp-tls-secret"))!, "tls.crt");
    await east
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .deleteNamespacedSecret({ namespace: "demo-apps", name: "myapp-tls-secret" });
    await west
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .patchNamespacedSecret({
        namespace: "demo-apps",
        name: "myapp-tls-secret",
        body: [{ op: "replace", path: "/data/tls.crt", value: Buffer.from("tampered").toString("base64") }],
      });
    for (const cluster of [east, west]) {
      await eventually(
        `myapp-tls-secret restored in ${cluster.name}`,
        async () => {
          const secret = await secretIn(cluster, "demo-apps", "myapp-tls-secret");
          return secret && decoded(secret, "tls.crt") === published ? secret : undefined;
        },
        { timeoutMs: 60_000, onTimeout: plane.logs },
      );
    }
    await bothHold(2);
  });

  test("a cluster that is down during a renew catches up when it returns, without holding up the other", async () => {
    await west.stop();
    const renewed = await certctl(plane.grpcServer, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    const behind = await eventually(
      "east to hold revision 3 while west reports its failure",
      async () => {
        const lines = (await certificate("myapp-tls")).status.publications ?? [];
        const eastLine = lines.find((l) => l.target === "east");
        const westLine = lines.find((l) => l.target === "west");
        return eastLine?.revision === 3 && eastLine.upToDate && westLine?.lastError ? lines : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );
    assert.match(behind.find((l) => l.target === "west")?.lastError?.message ?? "", /SecretTarget west/);
    const described = await certctl(
      plane.grpcServer,
      "describe",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
    );
    assert.match(
      described.stdout,
      /Publications:[\s\S]*east\s+3\s+yes[\s\S]*west\s+2\s+no\s.*SecretTarget west/,
    );
    assert.match(described.stdout, /Published\s+False/);

    await west.restart();
    await bothHold(3);
  });

  test("a Secret certplane did not create is left untouched and reported on the Certificate", async () => {
    const foreign = {
      "tls.crt": Buffer.from("not certplane's").toString("base64"),
      "tls.key": Buffer.from("k").toString("base64"),
    };
    await east
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({
        namespace: "demo-apps",
        body: { metadata: { name: "hello-foreign-tls" }, type: "kubernetes.io/tls", data: foreign },
      });
    const manifest = [
      "apiVersion: cert-manager.io/v1",
      "kind: Certificate",
      "metadata: { name: hello-foreign, namespace: demo-apps }",
      "spec:",
      "  secretName: hello-foreign-tls",
      "  dnsNames: [hello.example.com]",
      "  issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer }",
    ].join("\n");
    const applied = await withManifest(manifest, (file) => certctl(plane.grpcServer, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    const reported = await eventually(
      "the foreign Secret in east to be reported",
      async () => {
        const status = (await certificate("hello-foreign")).status;
        const eastLine = status.publications?.find((l) => l.target === "east");
        const westLine = status.publications?.find((l) => l.target === "west");
        return eastLine?.lastError && westLine?.upToDate ? status : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );
    const published = reported.conditions.find((c) => c.type === "Published");
    assert.equal(published?.status, "False");
    assert.match(published?.message ?? "", /east: .*not created by certplane/);
    const untouched = await secretIn(east, "demo-apps", "hello-foreign-tls");
    assert.deepEqual(untouched?.data, foreign);
    assert.equal(reported.conditions.find((c) => c.type === "Ready")?.status, "True");
  });

  test("the deep dive's Ingress yields its Certificate, whose Secret reaches both clusters", async () => {
    const applied = await certctl(plane.grpcServer, "apply", "-f", "examples/ingress.yaml");
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /certificate\.cert-manager\.io\/hello-app-tls created/);
    for (const cluster of [east, west]) {
      const secret = await eventually(
        `hello-app-tls in ${cluster.name}`,
        async () => secretIn(cluster, "demo-apps", "hello-app-tls"),
        { timeoutMs: 90_000, onTimeout: plane.logs },
      );
      assert.equal(secret.metadata?.annotations?.["cert-manager.io/alt-names"], "hello.example.com");
    }
  });
});
