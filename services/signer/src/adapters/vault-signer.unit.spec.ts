import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CertificateRequestState, IssuerState } from "@certplane/domain/model";
import { findCondition, issuerReadyCondition, streams } from "@certplane/domain/model";
import { parseCertificate, parseCertificateChain, publicKeysMatch } from "@certplane/pki";
import { createLogger } from "@certplane/runtime";
import { VaultStandIn, type VaultStandInCa } from "@certplane/testing/vault";
import { type SignerHarness, startSignerHarness } from "../testing/signer-harness.ts";
import { createVaultTestCa } from "../testing/vault-test-ca.ts";

const readyCondition = (state: IssuerState) =>
  state.status === "active" && state.readiness ? issuerReadyCondition(state) : undefined;
const finished = (state: CertificateRequestState) =>
  state.status === "present" && (state.phase === "issued" || state.phase === "failed") ? state : undefined;

describe("Vault signer against the Vault stand-in", () => {
  let h: SignerHarness;
  let vault: VaultStandIn;
  let ca: VaultStandInCa;
  const logLines: string[] = [];
  const loginCalls = () => vault.calls.filter((call) => call === "POST /v1/auth/approle/login").length;
  const signCalls = () => vault.calls.filter((call) => call === "POST /v1/pki/sign/web").length;

  before(async () => {
    h = await startSignerHarness({
      clusterResourceNamespace: "cert-manager",
      logger: createLogger({ service: "signer", level: "warn", write: (line) => logLines.push(line) }),
    });
    ca = await createVaultTestCa(h.clock.now());
    vault = await VaultStandIn.start({ now: () => h.clock.now(), namespace: "platform", ca });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "72h" });
    vault.writeAppRole("cert-manager-role", "s3cret", 3600);
  });
  after(async () => {
    await h.stop();
    await vault.stop();
  });

  function appRoleIssuer(name: string, secretName: string) {
    return h.applyIssuer(
      { kind: "ClusterIssuer", name },
      {
        vault: {
          server: vault.url,
          path: "pki/sign/web",
          namespace: "platform",
          auth: {
            appRole: {
              path: "approle",
              roleId: "cert-manager-role",
              secretRef: { name: secretName, key: "secretId" },
            },
          },
        },
      },
    );
  }

  async function readyWith(stream: string, reason: string) {
    return await h.until(`${stream} Ready reason ${reason}`, async () => {
      const condition = readyCondition(await h.issuer(stream));
      return condition?.reason === reason ? condition : undefined;
    });
  }

  async function outcome(namespace: string, name: string) {
    return await h.until(`${namespace}/${name} issued or failed`, async () =>
      finished(await h.request(namespace, name)),
    );
  }

  it("reports VaultError with Vault's message for a wrong AppRole secret, then VaultVerified once it is fixed", async () => {
    await h.writeOpaqueSecret("cert-manager", "approle-wrong", { secretId: "not-it" });
    const stream = await appRoleIssuer("vault-readiness", "approle-wrong");
    const error = await readyWith(stream, "VaultError");
    assert.equal(error.status, "False");
    assert.equal(error.message, "Failed to initialize Vault client: invalid role or secret ID");
    await h.writeOpaqueSecret("cert-manager", "approle-wrong", { secretId: "s3cret" });
    const verified = await readyWith(stream, "VaultVerified");
    assert.equal(verified.status, "True");
    assert.equal(verified.message, "Vault verified");
  });

  it("issues with AppRole: the CSR as is, ttl from the duration, chain and ca from Vault's answer", async () => {
    await h.writeOpaqueSecret("cert-manager", "approle", { secretId: "s3cret" });
    await readyWith(await appRoleIssuer("vault", "approle"), "VaultVerified");
    const { privateKey } = await h.requestWithNextKey(
      "apps",
      "web-1",
      { name: "vault", kind: "ClusterIssuer" },
      { commonName: "web.example.com", dnsNames: ["web.example.com"], duration: "1h" },
    );
    const request = await outcome("apps", "web-1");
    assert.equal(request.phase, "issued");
    const [leaf, ...rest] = parseCertificateChain(request.certificate!);
    assert.equal(rest.length, 0, "the stand-in's root is the ca, not part of the chain");
    assert.equal(request.ca, parseCertificate(ca.certificatePem).pem);
    assert.ok(publicKeysMatch(privateKey, leaf!.publicKey));
    assert.deepEqual(leaf!.sans.dnsNames, ["web.example.com"]);
    assert.equal(leaf!.notAfter.getTime() - leaf!.notBefore.getTime(), 3600_000);
    assert.equal(request.warnings, undefined, "a ttl within the role's max_ttl draws no warning");
  });

  it("still issues when the role caps the ttl at its max_ttl, and records Vault's warning on the request", async () => {
    await h.requestWithNextKey(
      "apps",
      "long-1",
      { name: "vault", kind: "ClusterIssuer" },
      { commonName: "long.example.com", dnsNames: ["long.example.com"], duration: "768h" },
    );
    const request = await outcome("apps", "long-1");
    assert.equal(request.phase, "issued");
    const [leaf] = parseCertificateChain(request.certificate!);
    assert.equal(leaf!.notAfter.getTime() - leaf!.notBefore.getTime(), 72 * 3600_000);
    const capped = 'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used';
    assert.deepEqual(request.warnings, [capped]);
    const ready = findCondition(request.conditions, "Ready");
    assert.equal(ready?.status, "True");
    assert.equal(ready?.reason, "Issued");
    assert.equal(
      ready?.message,
      `Certificate fetched from issuer successfully; the issuer warned: ${capped}`,
    );
    const { events } = await h.store.read(streams.certificateRequest("apps", "long-1"));
    const issued = events.find((event) => event.type === "CertificateRequestIssued");
    assert.ok(issued);
    assert.deepEqual((issued.data as { warnings?: string[] }).warnings, [capped]);
    const warned = logLines
      .map((line) => JSON.parse(line) as { msg: string; request?: string; warnings?: string[] })
      .find((line) => line.msg === "Vault signed with warnings" && line.request === "apps/long-1");
    assert.deepEqual(warned?.warnings, [
      'TTL "768h0m0s" is longer than permitted maxTTL "72h0m0s", so maxTTL is being used',
    ]);
  });

  it("fails a request for a name outside the role's allowed_domains with Vault's message", async () => {
    await h.requestWithNextKey(
      "apps",
      "evil-1",
      { name: "vault", kind: "ClusterIssuer" },
      { commonName: "evil.test", dnsNames: ["evil.test"] },
    );
    const request = await outcome("apps", "evil-1");
    assert.equal(request.phase, "failed");
    const ready = findCondition(request.conditions, "Ready");
    assert.equal(ready?.reason, "Failed");
    assert.match(
      ready?.message ?? "",
      /Vault failed to sign certificate: common name evil\.test not allowed by this role/,
    );
  });

  it("reuses its AppRole token, logs in again before the lease runs out, and re-authenticates once after a 403", async () => {
    const logins = loginCalls();
    await h.requestWithNextKey(
      "apps",
      "cached-1",
      { name: "vault", kind: "ClusterIssuer" },
      {
        commonName: "cached.example.com",
      },
    );
    assert.equal((await outcome("apps", "cached-1")).phase, "issued");
    assert.equal(loginCalls(), logins, "the cached token was used");

    h.clock.advance(2401_000); // past two thirds of the 3600 s lease
    await h.requestWithNextKey(
      "apps",
      "renewed-1",
      { name: "vault", kind: "ClusterIssuer" },
      {
        commonName: "renewed.example.com",
      },
    );
    assert.equal((await outcome("apps", "renewed-1")).phase, "issued");
    assert.equal(loginCalls(), logins + 1, "a new login before the lease ran out");

    vault.revokeAllTokens();
    const signs = signCalls();
    await h.requestWithNextKey(
      "apps",
      "revoked-1",
      { name: "vault", kind: "ClusterIssuer" },
      {
        commonName: "revoked.example.com",
      },
    );
    assert.equal((await outcome("apps", "revoked-1")).phase, "issued");
    assert.equal(loginCalls(), logins + 2, "one fresh login after the 403");
    assert.equal(signCalls(), signs + 2, "the refused call, then the one that issued");
  });

  it("fails naming the token secret when Vault refuses the token also after reading it again", async () => {
    await h.writeOpaqueSecret("cert-manager", "vault-token", { token: vault.createToken() });
    const stream = await h.applyIssuer(
      { kind: "ClusterIssuer", name: "vault-token" },
      {
        vault: {
          server: vault.url,
          path: "pki/sign/web",
          namespace: "platform",
          auth: { tokenSecretRef: { name: "vault-token" } },
        },
      },
    );
    await readyWith(stream, "VaultVerified");
    vault.revokeAllTokens();
    await h.requestWithNextKey(
      "apps",
      "denied-1",
      { name: "vault-token", kind: "ClusterIssuer" },
      {
        commonName: "denied.example.com",
      },
    );
    const request = await outcome("apps", "denied-1");
    assert.equal(request.phase, "failed");
    assert.equal(
      findCondition(request.conditions, "Ready")?.message,
      "Vault failed to sign certificate: permission denied (Vault refused the token in secret cert-manager/vault-token, also after a fresh login)",
    );
  });

  it("retries while Vault is sealed (503) and issues once it is unsealed", async () => {
    vault.seal();
    try {
      await h.requestWithNextKey(
        "apps",
        "sealed-1",
        { name: "vault", kind: "ClusterIssuer" },
        {
          commonName: "sealed.example.com",
        },
      );
      const signs = signCalls();
      await h.until("two sign calls answered 503", async () => (signCalls() >= signs + 2 ? true : undefined));
      const state = await h.request("apps", "sealed-1");
      assert.equal(state.status === "present" && state.phase, "pending");
    } finally {
      vault.unseal();
    }
    assert.equal((await outcome("apps", "sealed-1")).phase, "issued");
  });

  it("signs a CA request with the mount's root/sign-intermediate", async () => {
    await h.requestWithNextKey(
      "apps",
      "sub-ca-1",
      { name: "vault", kind: "ClusterIssuer" },
      { commonName: "Apps Intermediate CA", isCA: true },
    );
    const request = await outcome("apps", "sub-ca-1");
    assert.equal(request.phase, "issued");
    const [intermediate] = parseCertificateChain(request.certificate!);
    assert.equal(intermediate!.isCA, true);
    assert.ok(vault.calls.includes("POST /v1/pki/root/sign-intermediate"));
  });

  it("says to set CERTPLANE_SIGNER_KUBECONFIG when Kubernetes auth names a service account and no Kubernetes API is configured", async () => {
    const stream = await h.applyIssuer(
      { kind: "ClusterIssuer", name: "vault-kubernetes" },
      {
        vault: {
          server: vault.url,
          path: "pki/sign/web",
          auth: { kubernetes: { role: "cert-manager", serviceAccountRef: { name: "cert-manager" } } },
        },
      },
    );
    const error = await readyWith(stream, "VaultError");
    assert.equal(
      error.message,
      "Failed to initialize Vault client: Vault auth.kubernetes.serviceAccountRef needs a token of service " +
        "account cert-manager/cert-manager from the Kubernetes TokenRequest API, and this signer runs outside " +
        "the cluster with no Kubernetes API configured: set CERTPLANE_SIGNER_KUBECONFIG to a kubeconfig file " +
        "for that cluster",
    );
    // Nothing reached Vault: there was no JWT to log in with.
    assert.ok(!vault.calls.includes("POST /v1/auth/kubernetes/login"));
  });
});
