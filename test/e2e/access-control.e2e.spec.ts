// Client authorization over mutual TLS: two tenants, each bound to its own namespace by an access
// policy, and a platform admin bound cluster-wide. Tenant B can neither change nor see anything of
// tenant A's, cluster-scoped kinds need a cluster-wide role, and a refusal changes nothing.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { streams } from "@certplane/domain/model";
import { type CliResult, certctl } from "./support/certctl.ts";
import { startTestEmbeddedPlane, type TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { issueFromCa, selfSigned } from "./support/openssl.ts";

const policy = `apiVersion: certplane.io/v1alpha1
kind: AccessPolicy
roles:
  - name: tenant-admin
    rules:
      - verbs: ["*"]
        resources: [certificates, certificaterequests, issuers, secrets, orders, challenges, ingresses]
  - name: platform-admin
    rules:
      - verbs: ["*"]
        resources: ["*"]
bindings:
  - role: tenant-admin
    namespaces: [tenant-a]
    subjects: ["x509:CN=alice,O=Team A"]
  - role: tenant-admin
    namespaces: [tenant-b]
    subjects: ["uri:spiffe://example.org/tenant-b/bob"]
  - role: platform-admin
    subjects: ["dns:ops.example.com"]
`;

const tenantObjects = (namespace: string) => `apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: ${namespace}}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: app, namespace: ${namespace}}
spec:
  secretName: app-tls
  dnsNames: [app.${namespace}.example]
  issuerRef: {name: selfsigned}
`;

const clusterIssuer = `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: platform-ca}
spec: {selfSigned: {}}
`;

async function writeFiles(dir: string): Promise<void> {
  await selfSigned(dir, "ca", "-subj", "/CN=access-e2e-ca");
  await issueFromCa(dir, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
  const client = "extendedKeyUsage=clientAuth";
  await issueFromCa(dir, "alice", "/O=Team A/CN=alice", client);
  await issueFromCa(
    dir,
    "bob",
    "/CN=bob-workload",
    `${client}\nsubjectAltName=URI:spiffe://example.org/tenant-b/bob`,
  );
  await issueFromCa(dir, "ops", "/CN=ops", `${client}\nsubjectAltName=DNS:ops.example.com`);
  await issueFromCa(dir, "stranger", "/CN=stranger", client);
  await writeFile(join(dir, "policy.yaml"), policy);
  await writeFile(join(dir, "tenant-a.yaml"), tenantObjects("tenant-a"));
  await writeFile(join(dir, "tenant-b.yaml"), tenantObjects("tenant-b"));
  await writeFile(join(dir, "cluster-issuer.yaml"), clusterIssuer);
}

describe("client authorization: two tenants over mutual TLS", () => {
  let embedded: TestEmbeddedPlane;
  let as: (who: string, ...args: string[]) => Promise<CliResult>;

  before(async () => {
    embedded = await startTestEmbeddedPlane(
      "certplane-access-",
      (dir) => ({
        CERTPLANE_GRPC_TLS_CERT_FILE: join(dir, "server.pem"),
        CERTPLANE_GRPC_TLS_KEY_FILE: join(dir, "server.key"),
        CERTPLANE_GRPC_TLS_CLIENT_CA_FILE: join(dir, "ca.pem"),
        CERTPLANE_ACCESS_POLICY_FILE: join(dir, "policy.yaml"),
      }),
      writeFiles,
    );
    const file = (name: string) => join(embedded.workDir, name);
    as = (who, ...args) =>
      certctl(
        embedded.server,
        ...["--certificate-authority", file("ca.pem")],
        ...["--client-certificate", file(`${who}.pem`), "--client-key", file(`${who}.key`)],
        ...args,
      );
    for (const [who, manifest, namespace] of [
      ["alice", "tenant-a.yaml", "tenant-a"],
      ["bob", "tenant-b.yaml", "tenant-b"],
    ] as const) {
      const applied = await as(who, "apply", "-f", file(manifest));
      assert.equal(applied.code, 0, applied.stderr);
      const ready = await as(
        who,
        "wait",
        "certificate",
        "app",
        "-n",
        namespace,
        "--for=condition=Ready",
        "--timeout=60s",
      );
      assert.equal(ready.code, 0, ready.stderr);
    }
  });

  after(async () => {
    await embedded?.dispose();
  });

  const refusedAs = (result: CliResult, pattern: RegExp) => {
    assert.equal(result.code, 1, `expected a refusal, got: ${result.stdout}`);
    assert.match(result.stderr, pattern);
    assert.match(result.stderr, /ask an admin to bind a role granting it in the access policy/);
  };
  const bobCannot = (verbAndResource: string, scope = 'in the namespace "tenant-a"') =>
    new RegExp(
      `^error: x509:CN=bob-workload cannot ${verbAndResource} ${scope}: its roles \\(tenant-admin\\) do not grant`,
    );

  test("tenant B can neither change nor see tenant A's objects, and nothing changes", async () => {
    const store = embedded.plane.infrastructure.store;
    const before = await store.read(streams.certificate("tenant-a", "app"));
    const file = join(embedded.workDir, "tenant-a.yaml");

    refusedAs(await as("bob", "apply", "-f", file), bobCannot("create issuers"));
    refusedAs(await as("bob", "apply", "-f", file, "--dry-run"), bobCannot("create issuers"));
    refusedAs(await as("bob", "get", "certificate", "app", "-n", "tenant-a"), bobCannot("get certificates"));
    refusedAs(await as("bob", "get", "certificates", "-n", "tenant-a"), bobCannot("list certificates"));
    refusedAs(
      await as("bob", "get", "certificates", "-A"),
      bobCannot("list certificates", "in all namespaces"),
    );
    refusedAs(
      await as("bob", "describe", "certificate", "app", "-n", "tenant-a"),
      bobCannot("get certificates"),
    );
    refusedAs(await as("bob", "inspect", "secret", "app-tls", "-n", "tenant-a"), bobCannot("get secrets"));
    refusedAs(await as("bob", "renew", "app", "-n", "tenant-a"), bobCannot("renew certificates"));
    refusedAs(
      await as("bob", "delete", "certificate", "app", "-n", "tenant-a"),
      bobCannot("delete certificates"),
    );
    refusedAs(
      await as("bob", "history", "certificate", "app", "-n", "tenant-a"),
      bobCannot("get certificates"),
    );
    refusedAs(
      await as("bob", "history", "certificate", "app", "-n", "tenant-a", "--related"),
      bobCannot("get certificates"),
    );
    refusedAs(await as("bob", "replay", "--at", "1m"), bobCannot("list certificates", "in all namespaces"));
    refusedAs(await as("bob", "admin", "rebuild"), bobCannot("rebuild readmodels", "at the cluster scope"));

    const afterwards = await store.read(streams.certificate("tenant-a", "app"));
    assert.equal(afterwards.version, before.version, "no refused call wrote to tenant A's certificate");
    const own = await as("alice", "get", "certificate", "app", "-n", "tenant-a", "-o", "json");
    assert.equal(own.code, 0, own.stderr);
    const ready = JSON.parse(own.stdout).status.conditions.find((c: { type: string }) => c.type === "Ready");
    assert.equal(ready.status, "True");
  });

  test("each tenant works in its own namespace, and the SPIFFE ID is what binds bob", async () => {
    const own = await as("bob", "describe", "certificate", "app", "-n", "tenant-b");
    assert.equal(own.code, 0, own.stderr);
    const inspected = await as("bob", "inspect", "secret", "app-tls", "-n", "tenant-b");
    assert.equal(inspected.code, 0, inspected.stderr);
    assert.match(inspected.stdout, /app\.tenant-b\.example/);
    const history = await as("bob", "history", "certificate", "app", "-n", "tenant-b", "--related");
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /x509:CN=bob-workload/);
  });

  test("cluster-scoped kinds and every namespace at once need a cluster-wide role", async () => {
    const file = join(embedded.workDir, "cluster-issuer.yaml");
    refusedAs(
      await as("alice", "apply", "-f", file),
      /^error: x509:CN=alice,O=Team A cannot create clusterissuers at the cluster scope: its roles \(tenant-admin\) do not grant/,
    );
    refusedAs(await as("alice", "get", "secrettargets"), /cannot list secrettargets at the cluster scope/);
    const applied = await as("ops", "apply", "-f", file);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /clusterissuer\.cert-manager\.io\/platform-ca created/);
    const everywhere = await as("ops", "get", "certificates", "-A");
    assert.equal(everywhere.code, 0, everywhere.stderr);
    assert.match(everywhere.stdout, /tenant-a\s+app/);
    assert.match(everywhere.stdout, /tenant-b\s+app/);
  });

  test("a client no role is bound to may do nothing", async () => {
    refusedAs(
      await as("stranger", "get", "certificates", "-n", "tenant-a"),
      /^error: x509:CN=stranger cannot list certificates in the namespace "tenant-a": no role is bound to it/,
    );
  });

  test("auth can-i answers from the same policy, as kubectl's does", async () => {
    const yes = await as("alice", "auth", "can-i", "delete", "certificates", "-n", "tenant-a");
    assert.deepEqual([yes.code, yes.stdout], [0, "yes\n"]);
    const otherTenant = await as("alice", "auth", "can-i", "get", "certs", "-n", "tenant-b");
    assert.deepEqual(
      [otherTenant.code, otherTenant.stdout],
      [1, 'no - its roles (tenant-admin) do not grant get on certificates in the namespace "tenant-b"\n'],
    );
    const cluster = await as("alice", "auth", "can-i", "create", "clusterissuers");
    assert.equal(cluster.code, 1);
    const ops = await as("ops", "auth", "can-i", "create", "clusterissuers");
    assert.deepEqual([ops.code, ops.stdout], [0, "yes\n"]);
    const unknown = await as("ops", "auth", "can-i", "get", "pods");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /the server doesn't have a resource type "pods"/);
  });
});
