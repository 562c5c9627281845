// infra/kube/certplane: every object, applied server-side with dryRun=All against a real
// kube-apiserver (1.20, the harness's), so the API server's own validation and the schema of each
// API version judge the files. Only the Namespace is created for real: dry-run objects in a
// namespace that does not exist are refused before they are validated.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { services } from "@certplane/domain";
import type { KubeClusterHandle } from "@certplane/testing/kube";
import { startKubeCluster } from "@certplane/testing/kube";
import {
  type KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
  PatchStrategy,
} from "@kubernetes/client-node";
import { repoRoot } from "../e2e/support/service-process.ts";

const manifestsDir = join(repoRoot, "infra/kube/certplane");
const FIELD_MANAGER = "certplane-manifest-check";

async function manifests(): Promise<KubernetesObject[]> {
  const files = (await readdir(manifestsDir)).filter((file) => file.endsWith(".yaml")).sort();
  const objects = [];
  for (const file of files) objects.push(...loadAllYaml(await readFile(join(manifestsDir, file), "utf8")));
  return objects.filter(Boolean) as KubernetesObject[];
}

const describeObject = (object: KubernetesObject) =>
  `${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;

describe("the Kubernetes manifests in infra/kube/certplane", () => {
  let cluster: KubeClusterHandle;
  let api: KubernetesObjectApi;
  let objects: KubernetesObject[];

  const dryRunApply = (object: KubernetesObject) =>
    api.patch(object, undefined, "All", FIELD_MANAGER, true, PatchStrategy.ServerSideApply);

  before(async () => {
    objects = await manifests();
    cluster = await startKubeCluster({ name: "manifests" });
    api = KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
    await cluster.createNamespace("certplane");
  });

  after(async () => {
    await cluster?.dispose();
  });

  test("the API server accepts every object in a server-side dry-run apply", async () => {
    const refused: string[] = [];
    for (const object of objects) {
      try {
        await dryRunApply(object);
      } catch (error) {
        refused.push(`${describeObject(object)}: ${(error as { body?: string }).body ?? String(error)}`);
      }
    }
    assert.deepEqual(refused, []);
    console.log(`${objects.length} objects accepted`);
  });

  test("the check has teeth: an invalid Deployment is refused", async () => {
    const deployment = structuredClone(objects.find((o) => o.kind === "Deployment")) as KubernetesObject & {
      spec: { template: { spec: { containers: { imagePullPolicy?: string }[] } } };
    };
    deployment.spec.template.spec.containers[0]!.imagePullPolicy = "Sometimes";
    await assert.rejects(
      dryRunApply(deployment),
      (error: unknown) => (error as { code?: number }).code === 422,
    );
  });

  test("there is a Deployment and a ServiceAccount for each service, and the publisher's RBAC and a NetworkPolicy", () => {
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata?.name);
    for (const service of services) {
      assert.ok(names("Deployment").includes(service), `Deployment ${service}`);
      assert.ok(names("ServiceAccount").includes(service), `ServiceAccount ${service}`);
    }
    assert.ok(names("ClusterRole").includes("certplane-secret-target"));
    assert.ok(names("RoleBinding").includes("certplane-secret-target"));
    assert.ok(names("NetworkPolicy").includes("default-deny"));
    assert.deepEqual(names("Namespace"), ["certplane"]);
  });

  test("each service's pod takes its own NATS user and password Secret, and the shared TLS Secret", () => {
    for (const service of services) {
      const text = JSON.stringify(
        objects.find((o) => o.kind === "Deployment" && o.metadata?.name === service),
      );
      assert.match(text, new RegExp(`"name":"CERTPLANE_NATS_USER","value":"${service}"`));
      assert.match(text, new RegExp(`"secretName":"certplane-nats-${service}"`));
      assert.match(text, /"secretName":"certplane-nats-tls"/);
    }
  });
});
