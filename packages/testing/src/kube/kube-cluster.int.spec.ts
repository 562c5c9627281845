import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApiException, CoreV1Api, VersionApi } from "@kubernetes/client-node";
import { type KubeClusterHandle, startKubeCluster } from "./index.ts";

async function statusOf(call: Promise<unknown>): Promise<number | string> {
  return await call.then(
    () => 200,
    (error: unknown) =>
      error instanceof ApiException ? error.code : String((error as { code?: unknown }).code),
  );
}

describe("startKubeCluster", () => {
  let cluster: KubeClusterHandle;

  // One cluster for the whole file: starting one takes about 5 s.
  before(async () => {
    cluster = await startKubeCluster({ name: "harness" });
  });
  after(async () => {
    await cluster?.dispose();
  });

  test("is ready and verified over TLS with the serving certificate as CA", async () => {
    assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(cluster.caPem, /-----BEGIN CERTIFICATE-----/);
    const version = await cluster.kubeConfig().makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, "v1.20.2");
  });

  test("a kubeconfig YAML with the admin token reaches the cluster", async () => {
    const yaml = cluster.kubeconfigYaml(cluster.adminToken, { context: "certplane-test" });
    assert.match(yaml, /certificate-authority-data: /);
    assert.match(yaml, /current-context: "certplane-test"/);
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    assert.ok((await core.listNamespace()).items.some((ns) => ns.metadata?.name === "kube-system"));
  });

  test("a namespace can be created", async () => {
    await cluster.createNamespace("created");
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    assert.equal((await core.readNamespace({ name: "created" })).status?.phase, "Active");
  });

  test("a restricted token may use secrets in its namespace and gets 403 in another", async () => {
    await cluster.createNamespace("allowed");
    await cluster.createNamespace("denied");
    const token = await cluster.restrictedToken({
      namespace: "allowed",
      serviceAccount: "publisher",
      verbs: ["get", "create"],
    });
    const core = cluster.kubeConfig({ token }).makeApiClient(CoreV1Api);
    const body = { metadata: { name: "s" }, stringData: { k: "v" } };
    await core.createNamespacedSecret({ namespace: "allowed", body });
    assert.equal((await core.readNamespacedSecret({ namespace: "allowed", name: "s" })).data?.k, "dg==");
    assert.equal(await statusOf(core.createNamespacedSecret({ namespace: "denied", body })), 403);
    // Only the verbs granted: delete was not among them.
    assert.equal(await statusOf(core.deleteNamespacedSecret({ namespace: "allowed", name: "s" })), 403);
    // And nothing but secrets.
    assert.equal(await statusOf(core.listNamespacedConfigMap({ namespace: "allowed" })), 403);
  });

  test("a bad token is refused with 401", async () => {
    const core = cluster.kubeConfig({ token: "not-a-token" }).makeApiClient(CoreV1Api);
    assert.equal(await statusOf(core.listNamespace()), 401);
  });

  test("a second cluster runs side by side and is independent", async () => {
    const second = await startKubeCluster({ name: "second" });
    try {
      assert.notEqual(second.port, cluster.port);
      await second.createNamespace("only-in-second");
      const first = cluster.kubeConfig().makeApiClient(CoreV1Api);
      assert.equal(await statusOf(first.readNamespace({ name: "only-in-second" })), 404);
      // Each cluster has its own CA and admin token.
      const crossed = second.kubeConfig({ token: cluster.adminToken }).makeApiClient(CoreV1Api);
      assert.equal(await statusOf(crossed.listNamespace()), 401);
    } finally {
      await second.dispose();
    }
  });

  test("stop makes requests fail and restart brings the same cluster back", async () => {
    await cluster.createNamespace("survives");
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await cluster.stop();
    assert.equal(await statusOf(core.listNamespace()), "ECONNREFUSED");
    await cluster.restart();
    assert.equal((await core.readNamespace({ name: "survives" })).metadata?.name, "survives");
  });
});
