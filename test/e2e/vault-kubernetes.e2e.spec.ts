// Vault's Kubernetes auth through the five service processes, for real: a real kube-apiserver issues
// the ServiceAccount's bound token through its TokenRequest API (the signer reaches it with
// CERTPLANE_SIGNER_KUBECONFIG, as certplane runs outside the cluster), the Vault stand-in checks that
// JWT with a real TokenReview against the same apiserver, as Vault's plugin does, and signs; the leaf
// verifies with openssl against the stand-in's CA. The signer's kubeconfig holds the token of a
// service account that may only create tokens of the two service accounts the issuers name, as a
// least-privilege deployment would: a ServiceAccount the Vault role does not bind leaves its
// issuer not Ready with Vault's own refusal, and one the signer may not request tokens for leaves
// its issuer not Ready with the apiserver's refusal and the RBAC rule to grant.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type KubeClusterHandle, startKubeCluster } from "@certplane/testing/kube";
import { VaultStandIn, type VaultStandInCa } from "@certplane/testing/vault";
import { CoreV1Api } from "@kubernetes/client-node";
import { createVaultTestCa } from "../../services/signer/src/testing/vault-test-ca.ts";
import { certificateYaml, withManifest } from "./support/acme-fixtures.ts";
import { certctl, waitReady } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { openssl } from "./support/openssl.ts";
import { eventually } from "./support/service-process.ts";

interface ListedIssuer {
  readonly metadata: { readonly name: string };
  readonly status?: {
    readonly conditions?: readonly { type: string; status: string; reason?: string; message?: string }[];
  };
}

async function clusterIssuerReady(server: string, name: string) {
  const result = await certctl(server, "get", "clusterissuers", "-o", "json");
  if (result.code !== 0) throw new Error(result.stderr);
  const parsed = JSON.parse(result.stdout);
  const items: ListedIssuer[] = parsed.items ?? parsed;
  return items
    .find((issuer) => issuer.metadata.name === name)
    ?.status?.conditions?.find((condition) => condition.type === "Ready");
}

const clusterIssuerYaml = (name: string, vaultUrl: string, serviceAccount: string) =>
  [
    "apiVersion: cert-manager.io/v1",
    "kind: ClusterIssuer",
    `metadata: { name: ${name} }`,
    "spec:",
    "  vault:",
    `    server: ${vaultUrl}`,
    "    path: pki/sign/web",
    "    auth:",
    "      kubernetes:",
    "        role: cert-manager",
    "        mountPath: /v1/auth/kubernetes",
    `        serviceAccountRef: { name: ${serviceAccount} }`,
  ].join("\n");

describe("Vault Kubernetes auth through five processes and a real kube-apiserver", () => {
  let cluster: KubeClusterHandle;
  let vault: VaultStandIn;
  let ca: VaultStandInCa;
  let workDir: string;
  let plane: FiveProcessPlane;

  before(async () => {
    cluster = await startKubeCluster({ name: "vault-k8s" });
    // A ClusterIssuer's service account lives in the cluster resource namespace (cert-manager).
    await cluster.createNamespace("cert-manager");
    const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    for (const name of ["vault-issuer", "intruder", "unpermitted"]) {
      await core.createNamespacedServiceAccount({ namespace: "cert-manager", body: { metadata: { name } } });
    }

    ca = await createVaultTestCa(new Date());
    vault = await VaultStandIn.start({ now: () => new Date(), ca });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "2160h" });
    // The admin token may create TokenReviews; in a cluster it would be a service account bound to
    // system:auth-delegator.
    vault.configureKubernetesAuth({
      kubernetesHost: cluster.server,
      kubernetesCaPem: cluster.caPem,
      tokenReviewerJwt: cluster.adminToken,
    });
    vault.writeKubernetesRole("cert-manager", {
      bound_service_account_names: ["vault-issuer"],
      bound_service_account_namespaces: ["cert-manager"],
      // cert-manager puts the server address among every token's audiences (beside
      // vault://<issuer>), so tokens minted for another audience are refused.
      audience: vault.url,
      token_ttl: "1h",
    });

    workDir = await mkdtemp(join(tmpdir(), "certplane-vault-k8s-"));
    const kubeconfig = join(workDir, "kubeconfig");
    // Least privilege: TokenRequests for the named service accounts only, nothing else.
    const signerToken = await cluster.restrictedToken({
      namespace: "cert-manager",
      serviceAccount: "certplane-signer",
      verbs: ["create"],
      resource: "serviceaccounts/token",
      resourceNames: ["vault-issuer", "intruder"],
    });
    await writeFile(kubeconfig, cluster.kubeconfigYaml(signerToken), { mode: 0o600 });
    plane = await startFiveProcessPlane({
      perService: { signer: { CERTPLANE_SIGNER_KUBECONFIG: kubeconfig } },
    });
  });

  after(async () => {
    await plane?.dispose();
    await vault?.stop();
    await cluster?.dispose();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test("issues with a bound service-account token from a least-privilege kubeconfig and refuses a service account the role does not bind", async () => {
    const server = plane.grpcServer;
    const manifests = [
      clusterIssuerYaml("vault", vault.url, "vault-issuer"),
      "---",
      certificateYaml({
        namespace: "web",
        name: "site",
        secretName: "site-tls",
        issuer: "vault",
        dnsNames: ["site.example.com"],
      }),
    ].join("\n");
    const applied = await withManifest(manifests, (file) => certctl(server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);

    const waited = await waitReady(server, "site", "web");
    assert.equal(
      waited.code,
      0,
      `${waited.stderr}\n${plane.logs()}\n${vault.kubernetesLoginRefusals.join("\n")}`,
    );
    const published = join(plane.secretsDir, "web", "site-tls");
    const caFile = join(workDir, "vault-ca.pem");
    await writeFile(caFile, ca.certificatePem);
    const verified = await openssl(["verify", "-CAfile", caFile, join(published, "tls.crt")]);
    assert.match(verified, /tls\.crt: OK/);
    const text = await openssl(["x509", "-in", join(published, "tls.crt"), "-noout", "-text"]);
    assert.match(text, /DNS:site\.example\.com/);
    assert.ok(vault.calls.includes("POST /v1/auth/kubernetes/login"));
    const ready = await clusterIssuerReady(server, "vault");
    assert.equal(ready?.status, "True");

    const refusedApply = await withManifest(
      clusterIssuerYaml("vault-intruder", vault.url, "intruder"),
      (file) => certctl(server, "apply", "-f", file),
    );
    assert.equal(refusedApply.code, 0, refusedApply.stderr);
    const notReady = await eventually(
      "the intruder's issuer to be not Ready",
      async () => {
        const condition = await clusterIssuerReady(server, "vault-intruder");
        return condition?.status === "False" ? condition : undefined;
      },
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    assert.equal(notReady.reason, "VaultError");
    assert.equal(
      notReady.message,
      "Failed to initialize Vault client: while requesting a Vault token using the Kubernetes auth " +
        '(role "cert-manager" at /v1/auth/kubernetes): service account name not authorized',
    );
  });

  test("reports on the issuer which RBAC permission the signer's kubeconfig lacks for a service account's token", async () => {
    const server = plane.grpcServer;
    const applied = await withManifest(
      clusterIssuerYaml("vault-unpermitted", vault.url, "unpermitted"),
      (file) => certctl(server, "apply", "-f", file),
    );
    assert.equal(applied.code, 0, applied.stderr);
    const notReady = await eventually(
      "the unpermitted issuer to be not Ready",
      async () => {
        const condition = await clusterIssuerReady(server, "vault-unpermitted");
        return condition?.status === "False" ? condition : undefined;
      },
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    assert.equal(notReady.reason, "VaultError");
    assert.equal(
      notReady.message,
      "Failed to initialize Vault client: while requesting a token for the service account cert-manager/unpermitted: " +
        'serviceaccounts "unpermitted" is forbidden: User "system:serviceaccount:cert-manager:certplane-signer" ' +
        'cannot create resource "serviceaccounts/token" in API group "" in the namespace "cert-manager": ' +
        'grant the CERTPLANE_SIGNER_KUBECONFIG user "create" on "serviceaccounts/token" (resourceNames: ' +
        '["unpermitted"]) in namespace cert-manager',
    );
  });
});
