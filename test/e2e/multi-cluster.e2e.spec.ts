// One certificate, many clusters (cert-manager #494, #3298), over the five service processes and
// two real kube-apiservers: the seed chain plus a SecretTarget per cluster puts myapp-tls-secret
// into both as cert-manager would write it; a renew reaches both; a Secret certplane did not create
// is left alone and reported; a cluster that is down during a renew catches up when it returns.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePort } from "@certplane/testing";
import type { KubeClusterHandle } from "@certplane/testing/kube";
import { kubeconfigYaml, startKubeCluster } from "@certplane/testing/kube";
import { CoreV1Api, loadYaml, NetworkingV1Api, type V1Ingress, type V1Secret } from "@kubernetes/client-node";
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

const kubeconfigSecret = (name: string, kubeconfig: string) => [
  "apiVersion: v1",
  "kind: Secret",
  "type: Opaque",
  `metadata: { name: ${name}, namespace: cert-manager }`,
  "stringData:",
  "  kubeconfig: |",
  ...kubeconfig.split("\n").map((line) => `    ${line}`),
  "---",
];

const secretTarget = (name: string, spec: readonly string[]) => [
  "apiVersion: certplane.io/v1alpha1",
  "kind: SecretTarget",
  `metadata: { name: ${name} }`,
  "spec:",
  ...spec.map((line) => `  ${line}`),
  "---",
];

const targetManifests = (clusters: readonly KubeClusterHandle[]) =>
  clusters
    .flatMap((cluster) => [
      ...kubeconfigSecret(`kubeconfig-${cluster.name}`, cluster.kubeconfigYaml()),
      ...secretTarget(cluster.name, [
        "selector: { namespaces: [demo-apps] }",
        `kubernetes: { kubeconfigSecretRef: { name: kubeconfig-${cluster.name} } }`,
      ]),
    ])
    .join("\n");

interface SecretTargetJson {
  readonly status: {
    readonly conditions: readonly { type: string; status: string; reason: string; message: string }[];
  };
}

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
        // The Secret is published as soon as it is written, a moment before the issuance is recorded.
        const ready = status.conditions.find((c) => c.type === "Ready")?.status === "True";
        return eastLine?.lastError && westLine?.upToDate && ready ? status : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );
    const published = reported.conditions.find((c) => c.type === "Published");
    assert.equal(published?.status, "False");
    assert.match(published?.message ?? "", /east: .*not created by certplane/);
    const untouched = await secretIn(east, "demo-apps", "hello-foreign-tls");
    assert.deepEqual(untouched?.data, foreign);
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

  test("an Ingress in a watched cluster yields its Certificate, published back into that cluster; editing or deleting the Ingress updates or deletes it", async () => {
    await east.createNamespace("shop");
    const target = secretTarget("east-ingresses", [
      "selector: { namespaces: [shop] }",
      "kubernetes:",
      "  kubeconfigSecretRef: { name: kubeconfig-east }",
      "  ingressShim: { namespaces: [shop, demo-apps] }",
    ]).join("\n");
    const applied = await withManifest(target, (file) => certctl(plane.grpcServer, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    const ingresses = east.kubeConfig().makeApiClient(NetworkingV1Api);
    const ingress = (hosts: readonly string[]): V1Ingress => ({
      metadata: {
        name: "shop",
        namespace: "shop",
        annotations: {
          "cert-manager.io/cluster-issuer": "demo-ca-issuer",
          "cert-manager.io/duration": "2160h",
        },
      },
      spec: {
        tls: [{ hosts: [...hosts], secretName: "shop-tls" }],
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name: "shop", port: { number: 80 } } } },
            ],
          },
        })),
      },
    });
    await ingresses.createNamespacedIngress({ namespace: "shop", body: ingress(["shop.example.com"]) });

    const shopCertificate = async () => {
      const got = await certctl(
        plane.grpcServer,
        "get",
        "certificate",
        "shop-tls",
        "-n",
        "shop",
        "-o",
        "json",
      );
      return got.code === 0
        ? (JSON.parse(got.stdout) as CertificateJson & {
            metadata: { annotations?: Record<string, string> };
            spec: { dnsNames?: string[]; duration?: string };
          })
        : undefined;
    };
    const made = await eventually("the watched Ingress's Certificate", shopCertificate, {
      timeoutMs: 60_000,
      onTimeout: plane.logs,
    });
    assert.deepEqual(made.spec.dnsNames, ["shop.example.com"]);
    assert.equal(made.spec.duration, "2160h");
    assert.equal(made.metadata.annotations?.["certplane.io/ingress"], "shop/shop");
    assert.equal(made.metadata.annotations?.["certplane.io/ingress-cluster"], "east-ingresses");
    const published = await eventually(
      "shop-tls published back into east",
      async () => secretIn(east, "shop", "shop-tls"),
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );
    assert.equal(published.type, "kubernetes.io/tls");
    assert.equal(published.metadata?.annotations?.["cert-manager.io/alt-names"], "shop.example.com");

    await ingresses.replaceNamespacedIngress({
      namespace: "shop",
      name: "shop",
      body: ingress(["shop.example.com", "www.shop.example.com"]),
    });
    await eventually(
      "the edited Ingress's second host in the Secret",
      async () => {
        const secret = await secretIn(east, "shop", "shop-tls");
        const altNames = secret?.metadata?.annotations?.["cert-manager.io/alt-names"];
        return altNames === "shop.example.com,www.shop.example.com" ? secret : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );

    await ingresses.deleteNamespacedIngress({ namespace: "shop", name: "shop" });
    await eventually(
      "the deleted Ingress's Certificate to be gone",
      async () => ((await shopCertificate()) === undefined ? true : undefined),
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
  });

  test("the deep dive's Ingress, deleted as a manifest and created in a watched cluster, yields its Certificate there", async () => {
    const deleted = await certctl(plane.grpcServer, "delete", "ingress", "hello-app", "-n", "demo-apps");
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await certctl(plane.grpcServer, "get", "certificate", "hello-app-tls", "-n", "demo-apps");
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /not found/);

    const seedIngress = loadYaml<V1Ingress>(readFileSync("examples/ingress.yaml", "utf8"));
    await east
      .kubeConfig()
      .makeApiClient(NetworkingV1Api)
      .createNamespacedIngress({ namespace: "demo-apps", body: seedIngress });
    const made = await eventually(
      "hello-app-tls made from the Ingress in east",
      async () => {
        const got = await certctl(
          plane.grpcServer,
          "get",
          "certificate",
          "hello-app-tls",
          "-n",
          "demo-apps",
          "-o",
          "json",
        );
        if (got.code !== 0) return undefined;
        const object = JSON.parse(got.stdout) as {
          metadata: { uid: string; annotations?: Record<string, string> };
        };
        return object.metadata.annotations?.["certplane.io/ingress-cluster"] === "east-ingresses"
          ? object
          : undefined;
      },
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    assert.equal(made.metadata.annotations?.["certplane.io/ingress"], "demo-apps/hello-app");
    // The manifest's Certificate had put a Secret there already: this one is the new Certificate's.
    const secret = await eventually(
      "hello-app-tls of the new Certificate published into east",
      async () => {
        const found = await secretIn(east, "demo-apps", "hello-app-tls");
        return found?.metadata?.annotations?.["certplane.io/owner-uid"] === made.metadata.uid
          ? found
          : undefined;
      },
      { timeoutMs: 90_000, onTimeout: plane.logs },
    );
    assert.equal(secret.metadata?.annotations?.["cert-manager.io/certificate-name"], "hello-app-tls");
  });

  test("SecretTargets that cannot use their cluster are not Ready, each saying why and what to do, and nothing else stops", async () => {
    await east.createNamespace("restricted");
    const readOnly = await east.restrictedToken({
      namespace: "restricted",
      serviceAccount: "reader",
      verbs: ["get"],
    });
    const closedPort = `https://127.0.0.1:${await freePort()}`;
    const broken = [
      ...kubeconfigSecret("kubeconfig-garbled", "this: [is not, a kubeconfig"),
      ...kubeconfigSecret(
        "kubeconfig-down",
        kubeconfigYaml({
          cluster: "down",
          server: closedPort,
          caData: east.caData,
          token: "t",
          context: "down",
        }),
      ),
      ...kubeconfigSecret(
        "kubeconfig-wrong-ca",
        kubeconfigYaml({
          cluster: "east",
          server: east.server,
          caData: west.caData,
          token: east.adminToken,
          context: "east",
        }),
      ),
      ...kubeconfigSecret("kubeconfig-reader", east.kubeconfigYaml(readOnly)),
      ...["garbled", "down", "wrong-ca", "reader"].flatMap((name) =>
        secretTarget(`broken-${name}`, [
          "selector: { namespaces: [restricted] }",
          `kubernetes: { kubeconfigSecretRef: { name: kubeconfig-${name} } }`,
        ]),
      ),
    ].join("\n");
    const applied = await withManifest(broken, (file) => certctl(plane.grpcServer, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);

    const notReady = (name: string) =>
      eventually(
        `SecretTarget ${name} not Ready`,
        async () => {
          const got = await certctl(plane.grpcServer, "get", "secrettarget", name, "-o", "json");
          const ready = (JSON.parse(got.stdout) as SecretTargetJson).status.conditions.find(
            (c) => c.type === "Ready",
          );
          return ready?.status === "False" ? ready : undefined;
        },
        { timeoutMs: 60_000, onTimeout: plane.logs },
      );
    const garbled = await notReady("broken-garbled");
    assert.equal(garbled.reason, "InvalidKubeconfig");
    assert.match(garbled.message, /SecretTarget broken-garbled: .*kubeconfig/);
    const down = await notReady("broken-down");
    assert.equal(down.reason, "Unreachable");
    assert.match(down.message, /SecretTarget broken-down: .*unreachable/);
    const wrongCa = await notReady("broken-wrong-ca");
    assert.equal(wrongCa.reason, "TLSError");
    assert.match(wrongCa.message, /certificate-authority-data/);
    const reader = await notReady("broken-reader");
    assert.equal(reader.reason, "Forbidden");
    assert.match(reader.message, /may not "patch" secrets in namespace restricted.*Role/);

    const listed = await certctl(plane.grpcServer, "get", "secrettargets");
    assert.match(listed.stdout, /^west\s+True/m);

    // Least privilege is enough: a Role on secrets in the one namespace the target writes to.
    const scoped = await east.restrictedToken({
      namespace: "restricted",
      serviceAccount: "publisher",
      verbs: ["get", "patch", "list", "watch"],
    });
    const scopedTarget = [
      ...kubeconfigSecret("kubeconfig-scoped", east.kubeconfigYaml(scoped)),
      ...secretTarget("scoped", [
        "selector: { namespaces: [restricted] }",
        "kubernetes: { kubeconfigSecretRef: { name: kubeconfig-scoped } }",
      ]),
    ].join("\n");
    assert.equal(
      (await withManifest(scopedTarget, (file) => certctl(plane.grpcServer, "apply", "-f", file))).code,
      0,
    );
    await eventually(
      "SecretTarget scoped Ready",
      async () => {
        const got = await certctl(plane.grpcServer, "get", "secrettarget", "scoped", "-o", "json");
        const ready = (JSON.parse(got.stdout) as SecretTargetJson).status.conditions.find(
          (c) => c.type === "Ready",
        );
        return ready?.status === "True" && ready.reason === "Ready" ? ready : undefined;
      },
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    const renewed = await certctl(plane.grpcServer, "renew", "myapp-tls", "-n", "demo-apps");
    assert.equal(renewed.code, 0, renewed.stderr);
    await bothHold(4);
  });
});
