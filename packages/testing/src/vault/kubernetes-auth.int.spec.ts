// The stand-in's Kubernetes auth against a real kube-apiserver: service-account JWTs come from the
// TokenRequest API and every login is checked with a real TokenReview, as Vault's plugin does.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import nodeVault from "node-vault";
import { type KubeClusterHandle, startKubeCluster } from "../kube/index.ts";
import { VaultStandIn } from "./vault-stand-in.ts";

interface VaultFailure {
  readonly message: string;
  readonly response: { readonly statusCode: number; readonly body: unknown };
}

async function failure(call: Promise<unknown>): Promise<VaultFailure> {
  try {
    await call;
  } catch (error) {
    return error as VaultFailure;
  }
  assert.fail("the call succeeded");
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("Vault stand-in Kubernetes auth against a real kube-apiserver", () => {
  let cluster: KubeClusterHandle;
  let core: CoreV1Api;
  let vault: VaultStandIn;
  const client = (token = "") => nodeVault({ endpoint: vault.url, token, namespace: "" });
  const login = (role: string, jwt: string, mount = "kubernetes") =>
    client().kubernetesLogin({ role, jwt, mount_point: mount });

  async function serviceAccount(namespace: string, name: string): Promise<void> {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  }

  async function tokenOf(
    namespace: string,
    name: string,
    audiences = ["vault://vault-k8s"],
  ): Promise<string> {
    const request = await core.createNamespacedServiceAccountToken({
      namespace,
      name,
      body: { spec: { audiences, expirationSeconds: 600 } },
    });
    return request.status?.token ?? assert.fail("TokenRequest returned no token");
  }

  // One cluster for the whole file: starting one takes about 5 s.
  before(async () => {
    cluster = await startKubeCluster({ name: "vault-k8s-auth" });
    core = cluster.kubeConfig().makeApiClient(CoreV1Api);
    await cluster.createNamespace("cert-manager");
    await cluster.createNamespace("other");
    await serviceAccount("cert-manager", "vault-issuer");
    await serviceAccount("cert-manager", "intruder");
    await serviceAccount("other", "vault-issuer");
    vault = await VaultStandIn.start({ now: () => new Date() });
    vault.configureKubernetesAuth({
      kubernetesHost: cluster.server,
      kubernetesCaPem: cluster.caPem,
      tokenReviewerJwt: cluster.adminToken,
    });
    vault.writeKubernetesRole("cert-manager", {
      bound_service_account_names: ["vault-issuer"],
      bound_service_account_namespaces: ["cert-manager"],
      audience: "vault://vault-k8s",
      token_ttl: "20m",
      token_policies: ["pki"],
    });
  });
  after(async () => {
    await vault?.stop();
    await cluster?.dispose();
  });

  it("logs a bound service account in after a TokenReview and answers a usable token in Vault's envelope", async () => {
    const answer = await login("cert-manager", await tokenOf("cert-manager", "vault-issuer"));
    assert.equal(answer.auth.lease_duration, 1200);
    assert.equal(answer.auth.renewable, true);
    assert.deepEqual(answer.auth.token_policies, ["pki"]);
    assert.equal(answer.auth.metadata.role, "cert-manager");
    assert.equal(answer.auth.metadata.service_account_name, "vault-issuer");
    assert.equal(answer.auth.metadata.service_account_namespace, "cert-manager");
    const sa = await core.readNamespacedServiceAccount({ namespace: "cert-manager", name: "vault-issuer" });
    assert.equal(answer.auth.metadata.service_account_uid, sa.metadata?.uid);
    const self = await client(answer.auth.client_token).tokenLookupSelf();
    assert.equal(self.data.ttl > 1100, true);
    assert.ok(vault.calls.includes("POST /v1/auth/kubernetes/login"));
  });

  it("refuses a service account the role does not bind with 403 and the plugin's message", async () => {
    const refused = await failure(login("cert-manager", await tokenOf("cert-manager", "intruder")));
    assert.equal(refused.response.statusCode, 403);
    assert.deepEqual(refused.response.body, { errors: ["service account name not authorized"] });
  });

  it("refuses the right name in a namespace the role does not bind", async () => {
    const refused = await failure(login("cert-manager", await tokenOf("other", "vault-issuer")));
    assert.equal(refused.response.statusCode, 403);
    assert.equal(refused.message, "namespace not authorized");
  });

  it("refuses a token whose audiences miss the role's audience", async () => {
    const jwt = await tokenOf("cert-manager", "vault-issuer", ["https://kubernetes.default.svc"]);
    const refused = await failure(login("cert-manager", jwt));
    assert.equal(refused.response.statusCode, 403);
    assert.equal(
      refused.message,
      "invalid audience (aud) claim: audience claim does not match any expected audience",
    );
  });

  it("answers 400 for an unknown role and for a missing role or jwt", async () => {
    const jwt = await tokenOf("cert-manager", "vault-issuer");
    const unknown = await failure(login("nope", jwt));
    assert.equal(unknown.response.statusCode, 400);
    assert.equal(unknown.message, 'invalid role name "nope"');
    assert.equal((await failure(login("", jwt))).message, "missing role");
    assert.equal((await failure(login("cert-manager", ""))).message, "missing jwt");
  });

  it("leaves the signature to the apiserver: forged claims pass the role checks and fail the TokenReview", async () => {
    const real = await tokenOf("cert-manager", "vault-issuer");
    const [header, payload] = real.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    const forged = `${header}.${base64url({ ...claims, exp: claims.exp + 3600 })}.${base64url("not-a-signature")}`;
    const before = vault.kubernetesLoginRefusals.length;
    const refused = await failure(login("cert-manager", forged));
    assert.equal(refused.response.statusCode, 403);
    assert.equal(refused.message, "permission denied");
    const [reason] = vault.kubernetesLoginRefusals.slice(before);
    assert.match(reason ?? "", /^lookup failed: .*invalid bearer token/);
  });

  it("refuses a token of a service account deleted since, as the apiserver no longer authenticates it", async () => {
    await serviceAccount("cert-manager", "short-lived");
    vault.writeKubernetesRole("short-lived", {
      bound_service_account_names: ["short-*"],
      bound_service_account_namespaces: ["*"],
    });
    const jwt = await tokenOf("cert-manager", "short-lived");
    assert.equal(typeof (await login("short-lived", jwt)).auth.client_token, "string");
    await core.deleteNamespacedServiceAccount({ namespace: "cert-manager", name: "short-lived" });
    // The apiserver caches a token's authentication for 10 s and reads service accounts from an
    // informer: the deletion is seen a little later.
    let refused: VaultFailure | undefined;
    for (let attempt = 0; attempt < 80 && !refused; attempt++) {
      refused = await login("short-lived", jwt).then(
        () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 250)),
        (error: VaultFailure) => error,
      );
    }
    assert.equal(refused?.response.statusCode, 403);
    assert.equal(refused?.message, "permission denied");
  });

  it("reviews with a reviewer JWT bound to system:auth-delegator, and refuses when the reviewer has no such right", async () => {
    await serviceAccount("cert-manager", "reviewer");
    await serviceAccount("cert-manager", "no-rights");
    await cluster
      .kubeConfig()
      .makeApiClient(RbacAuthorizationV1Api)
      .createClusterRoleBinding({
        body: {
          metadata: { name: "vault-token-reviewer" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "system:auth-delegator",
          },
          subjects: [{ kind: "ServiceAccount", name: "reviewer", namespace: "cert-manager" }],
        },
      });
    const apiAudience = ["https://kubernetes.default.svc"];
    vault.configureKubernetesAuth({
      mount: "k8s/delegated",
      kubernetesHost: cluster.server,
      kubernetesCaPem: cluster.caPem,
      tokenReviewerJwt: await tokenOf("cert-manager", "reviewer", apiAudience),
    });
    vault.configureKubernetesAuth({
      mount: "k8s/powerless",
      kubernetesHost: cluster.server,
      kubernetesCaPem: cluster.caPem,
      tokenReviewerJwt: await tokenOf("cert-manager", "no-rights", apiAudience),
    });
    const role = {
      bound_service_account_names: ["vault-issuer"],
      bound_service_account_namespaces: ["cert-manager"],
      audience: "vault://vault-k8s",
    };
    vault.writeKubernetesRole("cert-manager", role, { mount: "k8s/delegated" });
    vault.writeKubernetesRole("cert-manager", role, { mount: "k8s/powerless" });
    const jwt = await tokenOf("cert-manager", "vault-issuer");
    // The binding reaches the RBAC authorizer through an informer.
    let answer: { auth: { client_token: string } } | undefined;
    for (let attempt = 0; attempt < 50 && !answer; attempt++) {
      answer = await login("cert-manager", jwt, "k8s/delegated").catch(
        () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
      );
    }
    assert.equal(typeof answer?.auth.client_token, "string");
    assert.ok(vault.calls.includes("POST /v1/auth/k8s/delegated/login"));
    const before = vault.kubernetesLoginRefusals.length;
    const refused = await failure(login("cert-manager", jwt, "k8s/powerless"));
    assert.equal(refused.message, "permission denied");
    assert.match(vault.kubernetesLoginRefusals.slice(before).join("\n"), /TokenReview answered 403/);
  });

  it("refuses a role binding nothing, as Vault refuses the role write", () => {
    assert.throws(
      () =>
        vault.writeKubernetesRole("empty", {
          bound_service_account_names: [],
          bound_service_account_namespaces: ["cert-manager"],
        }),
      /"bound_service_account_names" can not be empty/,
    );
  });
});
