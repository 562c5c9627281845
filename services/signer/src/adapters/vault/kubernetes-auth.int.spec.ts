// The Vault signer's Kubernetes auth against a real kube-apiserver and the Vault stand-in, whose
// logins are checked with real TokenReviews: a JWT kept in a Secret, and a bound token the signer
// asks the TokenRequest API for (serviceAccountRef), with cert-manager's audiences and lifetime.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import type { CertificateRequestState, IssuerState } from "@certplane/domain/model";
import { issuerReadyCondition } from "@certplane/domain/model";
import { type KubeClusterHandle, startKubeCluster } from "@certplane/testing/kube";
import { VaultStandIn } from "@certplane/testing/vault";
import { CoreV1Api } from "@kubernetes/client-node";
import { type SignerHarness, startSignerHarness } from "../../testing/signer-harness.ts";
import { createVaultTestCa } from "../../testing/vault-test-ca.ts";
import { KubeServiceAccountTokens, type ServiceAccountTokens } from "./service-account-tokens.ts";

const readyCondition = (state: IssuerState) =>
  state.status === "active" && state.readiness ? issuerReadyCondition(state) : undefined;
const finished = (state: CertificateRequestState) =>
  state.status === "present" && (state.phase === "issued" || state.phase === "failed") ? state : undefined;

describe("Vault signer Kubernetes auth against a real kube-apiserver", () => {
  let cluster: KubeClusterHandle;
  let core: CoreV1Api;
  let vault: VaultStandIn;
  let h: SignerHarness;
  const asked: { serviceAccount: string; audiences: readonly string[]; expirationSeconds: number }[] = [];
  const logins = () => vault.calls.filter((call) => call === "POST /v1/auth/kubernetes/login").length;

  before(async () => {
    cluster = await startKubeCluster({ name: "signer-vault-k8s" });
    core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await cluster.createNamespace("apps");
    for (const name of ["app-signer", "bound-signer"]) {
      await core.createNamespacedServiceAccount({ namespace: "apps", body: { metadata: { name } } });
    }
    const real = new KubeServiceAccountTokens(cluster.kubeConfig());
    const recording: ServiceAccountTokens = {
      async request(serviceAccount, audiences, expirationSeconds) {
        asked.push({
          serviceAccount: `${serviceAccount.namespace}/${serviceAccount.name}`,
          audiences,
          expirationSeconds,
        });
        return await real.request(serviceAccount, audiences, expirationSeconds);
      },
    };
    h = await startSignerHarness({
      clusterResourceNamespace: "cert-manager",
      serviceAccountTokens: recording,
    });
    // Real time for the stand-in: the apiserver's JWTs carry real expiry times.
    vault = await VaultStandIn.start({ now: () => new Date(), ca: await createVaultTestCa(new Date()) });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "72h" });
    vault.configureKubernetesAuth({
      kubernetesHost: cluster.server,
      kubernetesCaPem: cluster.caPem,
      tokenReviewerJwt: cluster.adminToken,
    });
    vault.writeKubernetesRole("from-secret", {
      bound_service_account_names: ["app-signer"],
      bound_service_account_namespaces: ["apps"],
      token_ttl: "1h",
    });
    vault.writeKubernetesRole("bound", {
      bound_service_account_names: ["bound-signer"],
      bound_service_account_namespaces: ["apps"],
      // cert-manager's audience for Issuer apps/vault-bound.
      audience: "vault://apps/vault-bound",
      token_ttl: "1h",
    });
  });
  after(async () => {
    await h?.stop();
    await vault?.stop();
    await cluster?.dispose();
  });

  const issuer = (name: string, kubernetes: Record<string, unknown>) =>
    h.applyIssuer(
      { kind: "Issuer", name, namespace: "apps" },
      {
        vault: {
          server: vault.url,
          path: "pki/sign/web",
          auth: { kubernetes: { role: "from-secret", ...kubernetes } as never },
        },
      },
    );

  async function readyWith(stream: string, reason: string) {
    return await h.until(`${stream} Ready reason ${reason}`, async () => {
      const condition = readyCondition(await h.issuer(stream));
      return condition?.reason === reason ? condition : undefined;
    });
  }

  async function issue(name: string, issuerName: string) {
    await h.requestWithNextKey(
      "apps",
      name,
      { name: issuerName, kind: "Issuer" },
      { commonName: `${name}.example.com`, dnsNames: [`${name}.example.com`] },
    );
    return await h.until(`apps/${name} issued or failed`, async () =>
      finished(await h.request("apps", name)),
    );
  }

  it("logs in with a JWT kept in a Secret, then reuses the Vault token until two thirds of its lease", async () => {
    const request = await core.createNamespacedServiceAccountToken({
      namespace: "apps",
      name: "app-signer",
      body: { spec: { audiences: ["https://kubernetes.default.svc"], expirationSeconds: 3600 } },
    });
    // A trailing newline, as `kubectl create secret generic --from-file` keeps it.
    await h.writeOpaqueSecret("apps", "vault-jwt", { token: `${request.status?.token}\n` });
    const stream = await issuer("vault-secret", { secretRef: { name: "vault-jwt" } });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
    assert.equal(logins(), 1);
    assert.equal((await issue("one", "vault-secret")).phase, "issued");
    assert.equal((await issue("two", "vault-secret")).phase, "issued");
    assert.equal(logins(), 1, "the readiness check's login is reused");
    h.clock.advance(41 * 60_000);
    assert.equal((await issue("three", "vault-secret")).phase, "issued");
    assert.equal(logins(), 2);
  });

  it("asks the TokenRequest API for a 10-minute token with cert-manager's audiences for serviceAccountRef", async () => {
    const stream = await issuer("vault-bound", {
      role: "bound",
      serviceAccountRef: { name: "bound-signer", audiences: ["extra"] },
    });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
    assert.deepEqual(asked.at(-1), {
      serviceAccount: "apps/bound-signer",
      audiences: ["extra", "vault://apps/vault-bound", vault.url],
      expirationSeconds: 600,
    });
    const before = asked.length;
    assert.equal((await issue("bound-1", "vault-bound")).phase, "issued");
    assert.equal(asked.length, before, "no new service-account token while the Vault token lasts");
  });

  it("names the service account TokenRequest could not find", async () => {
    const stream = await issuer("vault-ghost", { role: "bound", serviceAccountRef: { name: "ghost" } });
    const error = await readyWith(stream, "VaultError");
    assert.equal(
      error.message,
      'Failed to initialize Vault client: while requesting a token for the service account apps/ghost: serviceaccounts "ghost" not found',
    );
  });

  it("names Kubernetes auth and the role when Vault refuses the service account", async () => {
    const stream = await issuer("vault-wrong-role", {
      role: "from-secret",
      serviceAccountRef: { name: "bound-signer" },
    });
    const error = await readyWith(stream, "VaultError");
    assert.equal(
      error.message,
      "Failed to initialize Vault client: while requesting a Vault token using the Kubernetes auth " +
        '(role "from-secret" at /v1/auth/kubernetes): service account name not authorized',
    );
  });

  it("refuses a kubeconfig file that does not load, naming CERTPLANE_SIGNER_KUBECONFIG", () => {
    assert.throws(
      () => KubeServiceAccountTokens.fromKubeconfigFile("/nonexistent/kubeconfig"),
      (error: unknown) => error instanceof ValidationError && error.field === "CERTPLANE_SIGNER_KUBECONFIG",
    );
  });
});
