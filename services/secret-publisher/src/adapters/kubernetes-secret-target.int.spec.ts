import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SpanKind } from "@certplane/telemetry";
import { InMemorySpanExporter, startTracing, type Tracing } from "@certplane/telemetry/sdk";
import { type KubeClusterHandle, startKubeCluster } from "@certplane/testing/kube";
import { CoreV1Api, type V1Secret } from "@kubernetes/client-node";
import type { PublishedSecret, SecretRef } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { binarySecretKeys } from "../secrets/secret-values.ts";
import {
  FIELD_MANAGER,
  ForeignSecretError,
  KubernetesSecretTarget,
  MANAGED_BY_LABEL,
  OWNER_ANNOTATION,
  OWNER_UID_ANNOTATION,
} from "./kubernetes-secret-target.ts";
import { secretTargetContract } from "./secret-target-contract.ts";

// Against a real kube-apiserver 1.20.2 (see ../shared/recipes/kube-apiserver.md), started once for
// the file. Namespaces never finish deleting on it (no controller-manager), so every test gets fresh
// namespaces under a unique prefix instead of cleaning up.

// Kubernetes keeps every value in `.data`: which were private is the publisher's knowledge, not the
// Secret's. The contract's only private key is tls.key.
const PRIVATE_KEYS = new Set(["tls.key", ...binarySecretKeys]);
let prefixCount = 0;

function decoded(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]),
  );
}

/**
 * The PublishedSecret a Kubernetes Secret holds. certplane's own ownership marker (label and owner
 * annotations) is not part of what was published, so it is taken off here, and the owner is read
 * from it, for the contract's deepEqual to compare only the published content.
 */
function publishedOf(source: SecretRef, secret: V1Secret): PublishedSecret {
  const { [MANAGED_BY_LABEL]: _managedBy, ...labels } = secret.metadata?.labels ?? {};
  const {
    [OWNER_ANNOTATION]: owner = "",
    [OWNER_UID_ANNOTATION]: uid = "",
    ...annotations
  } = secret.metadata?.annotations ?? {};
  // The contract publishes Certificates' Secrets only.
  const [kind, , ownerName = ""] = owner.split("/");
  assert.equal(kind, "Certificate", `owner annotation ${owner}`);
  const data: Record<string, string> = {};
  const secretData: Record<string, SecretValue> = {};
  for (const [key, value] of Object.entries(decoded(secret.data))) {
    if (!PRIVATE_KEYS.has(key)) data[key] = value;
    else
      secretData[key] = binarySecretKeys.has(key) ? Buffer.from(secret.data?.[key] ?? "", "base64") : value;
  }
  return {
    ...source,
    type: secret.type ?? "",
    data,
    secretData,
    labels,
    annotations,
    owner: { kind: "Certificate", name: ownerName, uid },
  };
}

describe("KubernetesSecretTarget against kube-apiserver 1.20.2", () => {
  let cluster: KubeClusterHandle;
  let admin: CoreV1Api;
  // Tracing on for this file: one test checks the client span of each API call.
  const spans = new InMemorySpanExporter();
  let tracing: Tracing;

  before(async () => {
    tracing = startTracing({ serviceName: "secret-publisher", env: {}, exporter: spans });
    cluster = await startKubeCluster({ name: "secret-target" });
    admin = cluster.kubeConfig().makeApiClient(CoreV1Api);
  });
  after(async () => {
    await cluster?.dispose();
    await tracing?.shutdown();
  });

  test("records a client span for each API call, naming the verb, cluster and namespace", async () => {
    const namespaceFor = await namespaces("apps");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "east",
      namespaceFor,
    });
    spans.reset();
    await target.write(tls("01"));
    const calls = spans.getFinishedSpans().filter((span) => span.name.startsWith("kubernetes "));
    assert.deepEqual(
      calls.map((span) => [
        span.name,
        span.kind,
        span.attributes["k8s.cluster.name"],
        span.attributes["k8s.namespace.name"],
      ]),
      [
        ["kubernetes get secrets", SpanKind.CLIENT, "east", namespaceFor("apps")],
        ["kubernetes patch secrets", SpanKind.CLIENT, "east", namespaceFor("apps")],
      ],
    );
    assert.equal(
      calls[0]?.attributes["server.address"],
      new URL(cluster.kubeConfig().getCurrentCluster()!.server).hostname,
    );
  });

  async function readSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    return await admin.readNamespacedSecret({ namespace, name }).catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    });
  }

  /** Fresh namespaces `<prefix>-<each>` in the cluster, and the mapping to them. */
  async function namespaces(...sources: string[]) {
    const prefix = `t${++prefixCount}`;
    for (const source of sources) await cluster.createNamespace(`${prefix}-${source}`);
    return (source: string) => `${prefix}-${source}`;
  }

  secretTargetContract({
    kind: "kubernetes",
    fixture: async () => {
      // "elsewhere" is left out on purpose: deleting in a namespace that does not exist is fine too.
      const namespaceFor = await namespaces("apps", "other");
      const target = new KubernetesSecretTarget({
        kubeConfig: cluster.kubeConfig(),
        name: "test",
        namespaceFor,
      });
      return {
        target,
        read: async (ref) => {
          const secret = await readSecret(namespaceFor(ref.namespace), ref.name);
          return secret === undefined ? undefined : publishedOf(ref, secret);
        },
        dispose: async () => {},
      };
    },
  });

  const web: SecretRef = { namespace: "apps", name: "web-tls" };
  const tls = (serial: string, overrides: Partial<PublishedSecret> = {}): PublishedSecret => ({
    ...web,
    type: "kubernetes.io/tls",
    data: { "tls.crt": `certificate ${serial}\n`, "ca.crt": "ca\n" },
    secretData: { "tls.key": `key ${serial}\n` },
    labels: {},
    annotations: {},
    owner: { kind: "Certificate", name: "web", uid: "uid-1" },
    ...overrides,
  });

  test("writes a kubernetes.io/tls Secret with cert-manager's annotations, owned by field manager certplane", async () => {
    const namespaceFor = await namespaces("apps");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "test",
      namespaceFor,
    });
    const annotations = {
      "cert-manager.io/alt-names": "web.example.com,www.example.com",
      "cert-manager.io/certificate-name": "web",
      "cert-manager.io/common-name": "web.example.com",
      "cert-manager.io/ip-sans": "",
      "cert-manager.io/issuer-group": "cert-manager.io",
      "cert-manager.io/issuer-kind": "ClusterIssuer",
      "cert-manager.io/issuer-name": "letsencrypt",
      "cert-manager.io/uri-sans": "",
    };
    const receipt = await target.write(
      tls("one", { annotations, labels: { "controller.cert-manager.io/fao": "true" } }),
    );
    const secret = await readSecret(namespaceFor("apps"), "web-tls");
    assert.ok(secret);
    assert.equal(secret.type, "kubernetes.io/tls");
    assert.deepEqual(secret.metadata?.annotations, {
      ...annotations,
      "certplane.io/owner": "Certificate/apps/web",
      "certplane.io/owner-uid": "uid-1",
    });
    assert.deepEqual(secret.metadata?.labels, {
      "controller.cert-manager.io/fao": "true",
      "app.kubernetes.io/managed-by": "certplane",
    });
    assert.deepEqual(decoded(secret.data), {
      "tls.crt": "certificate one\n",
      "ca.crt": "ca\n",
      "tls.key": "key one\n",
    });
    assert.deepEqual(
      secret.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation]),
      [[FIELD_MANAGER, "Apply"]],
    );
    assert.equal(receipt.resourceVersion, secret.metadata?.resourceVersion);

    // The same content again is a no-op on the server: the resourceVersion stays.
    assert.deepEqual(
      await target.write(tls("one", { annotations, labels: { "controller.cert-manager.io/fao": "true" } })),
      receipt,
    );
  });

  test("a label someone else added stays; keys certplane no longer sends go", async () => {
    const namespaceFor = await namespaces("apps");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "test",
      namespaceFor,
    });
    await target.write(tls("one"));
    // As `kubectl label` would, under its own field manager (client-node's default PATCH is JSON Patch).
    await admin.patchNamespacedSecret({
      namespace: namespaceFor("apps"),
      name: "web-tls",
      body: [{ op: "add", path: "/metadata/labels/team", value: "web" }],
      fieldManager: "kubectl",
    });
    await target.write(tls("two", { data: { "tls.crt": "certificate two\n" } }));
    const secret = await readSecret(namespaceFor("apps"), "web-tls");
    assert.deepEqual(Object.keys(decoded(secret?.data)).sort(), ["tls.crt", "tls.key"]);
    assert.equal(secret?.metadata?.labels?.team, "web");
  });

  test("a Secret certplane did not create is left untouched, with a typed error", async () => {
    const namespaceFor = await namespaces("apps");
    const namespace = namespaceFor("apps");
    await admin.createNamespacedSecret({
      namespace,
      body: { metadata: { name: "web-tls" }, type: "Opaque", stringData: { password: "theirs" } },
    });
    const before = await readSecret(namespace, "web-tls");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "west",
      namespaceFor,
    });

    const refused = await target.write(tls("one")).then(
      () => assert.fail("the write went through"),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof ForeignSecretError);
    assert.equal(refused.code, "ALREADY_EXISTS");
    assert.equal(refused.retryable, false);
    assert.equal(
      refused.message,
      `Secret ${namespace}/web-tls in cluster west exists and was not created by certplane; ` +
        "certplane leaves it untouched: delete it or choose another secretName",
    );
    await target.delete(web);
    const after = await readSecret(namespace, "web-tls");
    assert.equal(after?.metadata?.resourceVersion, before?.metadata?.resourceVersion);
    assert.deepEqual(decoded(after?.data), { password: "theirs" });
  });

  test("a token allowed secrets in one namespace writes there and is told the missing permission elsewhere", async () => {
    const namespaceFor = await namespaces("apps", "other");
    const token = await cluster.restrictedToken({
      namespace: namespaceFor("apps"),
      serviceAccount: "publisher",
      verbs: ["get", "create", "patch", "delete"],
    });
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig({ token }),
      name: "west",
      namespaceFor,
    });
    await target.write(tls("one"));
    await target.delete(web);
    assert.equal(await readSecret(namespaceFor("apps"), "web-tls"), undefined);

    const other = namespaceFor("other");
    await assert.rejects(
      target.write(tls("one", { namespace: "other" })),
      (error: Error & Record<string, unknown>) => {
        assert.equal(error.code, "FORBIDDEN");
        assert.equal(error.status, 403);
        assert.equal(error.retryable, false);
        assert.match(error.message, new RegExp(`^cluster west forbids get secrets in namespace ${other}: `));
        assert.match(
          error.message,
          /User "system:serviceaccount:t\d+-apps:publisher" cannot get resource "secrets"/,
        );
        assert.match(error.message, new RegExp(`RBAC permission to "get" "secrets" in namespace ${other}`));
        return true;
      },
    );
  });

  test("a token without patch rights is told that patch is missing", async () => {
    const namespaceFor = await namespaces("apps");
    const token = await cluster.restrictedToken({
      namespace: namespaceFor("apps"),
      serviceAccount: "reader",
      verbs: ["get"],
    });
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig({ token }),
      name: "west",
      namespaceFor,
    });
    await assert.rejects(target.write(tls("one")), {
      code: "FORBIDDEN",
      message: new RegExp(
        `forbids patch secrets in namespace ${namespaceFor("apps")}: .*cannot patch resource`,
      ),
    });
  });

  test("a token the cluster does not know is a 401, not retried", async () => {
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig({ token: "expired-token" }),
      name: "west",
    });
    await assert.rejects(target.write(tls("one")), {
      code: "FORBIDDEN",
      status: 401,
      retryable: false,
      message:
        /^cluster west did not accept the credentials in its kubeconfig \(401 Unauthorized\) on get secrets in namespace apps/,
    });
  });

  test("a namespace that does not exist is named, with what to do", async () => {
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "west",
      namespaceFor: () => "missing-ns",
    });
    await assert.rejects(target.write(tls("one")), {
      code: "NOT_FOUND",
      retryable: false,
      message:
        "cluster west has no namespace missing-ns for Secret missing-ns/web-tls in cluster west: " +
        "create the namespace, or map the Secret to an existing one in the SecretTarget",
    });
  });

  test("a Secret over 1 MiB is refused with the server's message, not retried", async () => {
    const namespaceFor = await namespaces("apps");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "west",
      namespaceFor,
    });
    const big = tls("one", { data: { "tls.crt": "x".repeat(1024 * 1024 + 1) } });
    await assert.rejects(target.write(big), (error: Error & Record<string, unknown>) => {
      assert.equal(error.code, "VALIDATION");
      assert.equal(error.retryable, false);
      assert.equal(error.field, "data");
      assert.match(error.message, /data: Too long: must have at most 1048576 bytes/);
      return true;
    });
  });

  test("keys that are not Secret keys are refused before anything is sent", async () => {
    const target = new KubernetesSecretTarget({ kubeConfig: cluster.kubeConfig(), name: "west" });
    await assert.rejects(target.write(tls("one", { data: { "tls/crt": "x" } })), {
      code: "VALIDATION",
      field: "data.tls/crt",
    });
  });

  // Last: it takes the shared cluster down for a moment.
  test("a stopped API server is a retryable error, and the write succeeds once it is back", async () => {
    const namespaceFor = await namespaces("apps");
    const target = new KubernetesSecretTarget({
      kubeConfig: cluster.kubeConfig(),
      name: "west",
      namespaceFor,
    });
    await cluster.stop();
    try {
      await assert.rejects(target.write(tls("one")), {
        code: "TRANSIENT",
        retryable: true,
        message: `cluster west is unreachable (ECONNREFUSED) on get secrets in namespace ${namespaceFor("apps")}`,
      });
      await assert.rejects(target.delete(web), { code: "TRANSIENT", retryable: true });
    } finally {
      await cluster.restart();
    }
    await target.write(tls("one"));
    assert.ok(await readSecret(namespaceFor("apps"), "web-tls"));
  });
});
