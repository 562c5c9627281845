// The Vault signer over TLS against HTTPS Vault stand-ins: the server's CA from caBundle or
// caBundleSecretRef (and what an untrusted server is reported as), a client certificate for a
// listener that requires one (clientCertSecretRef/clientKeySecretRef), and the TLS certificate
// auth method (auth.clientCertificate), whose login is the client certificate of the handshake.
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { CertificateRequestState, IssuerState } from "@certplane/domain/model";
import { issuerReadyCondition } from "@certplane/domain/model";
import { parseCertificateChain } from "@certplane/pki";
import { VaultStandIn } from "@certplane/testing/vault";
import { type SignerHarness, startSignerHarness } from "../testing/signer-harness.ts";
import {
  createTlsTestCa,
  createVaultTestCa,
  type TlsKeyPair,
  type TlsTestCa,
} from "../testing/vault-test-ca.ts";

const readyCondition = (state: IssuerState) =>
  state.status === "active" && state.readiness ? issuerReadyCondition(state) : undefined;
const finished = (state: CertificateRequestState) =>
  state.status === "present" && (state.phase === "issued" || state.phase === "failed") ? state : undefined;
const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("Vault signer over TLS: caBundle, client certificates and TLS certificate auth", () => {
  let h: SignerHarness;
  let serverCa: TlsTestCa;
  let clientCa: TlsTestCa;
  let otherCa: TlsTestCa;
  /** Asks for client certificates without requiring them, as Vault's listener does by default. */
  let vault: VaultStandIn;
  /** tls_require_and_verify_client_cert with clientCa. */
  let strictVault: VaultStandIn;
  let signerCert: TlsKeyPair;
  const certLogins = () => vault.calls.filter((call) => call === "POST /v1/auth/cert/login").length;

  before(async () => {
    h = await startSignerHarness({ clusterResourceNamespace: "cert-manager" });
    // Real time for the certificates and the stand-ins: Node checks TLS certificates against it.
    const now = new Date();
    [serverCa, clientCa, otherCa] = await Promise.all([
      createTlsTestCa("Vault Listener CA", now),
      createTlsTestCa("Vault Client CA", now),
      createTlsTestCa("Unrelated CA", now),
    ]);
    const listener = await serverCa.issue({
      commonName: "vault.test",
      ipAddresses: ["127.0.0.1"],
      usages: ["server auth"],
    });
    signerCert = await clientCa.issue({ commonName: "signer.certplane", usages: ["client auth"] });
    const pki = await createVaultTestCa(now);
    vault = await VaultStandIn.start({ now: () => new Date(), ca: pki, tls: listener });
    strictVault = await VaultStandIn.start({
      now: () => new Date(),
      ca: pki,
      tls: { ...listener, requireClientCertificateFrom: clientCa.certificatePem },
    });
    for (const server of [vault, strictVault]) {
      server.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "72h" });
      server.writeAppRole("signer", "s3cret", 3600);
    }
    vault.writeCertRole("certplane", {
      certificate: clientCa.certificatePem,
      allowed_common_names: ["*.certplane"],
      token_ttl: "1h",
    });
    vault.writeCertRole("ops-only", { certificate: clientCa.certificatePem, allowed_common_names: ["ops"] });
    await h.writeOpaqueSecret("cert-manager", "approle", { secretId: "s3cret" });
    await h.writeTlsSecret("cert-manager", "vault-ca", { caPem: serverCa.certificatePem });
    await h.writeTlsSecret("cert-manager", "signer-client", {
      certificatePem: signerCert.certificatePem,
      privateKey: createPrivateKey(signerCert.privateKeyPem),
    });
  });
  after(async () => {
    await h?.stop();
    await vault?.stop();
    await strictVault?.stop();
  });

  const issuer = (name: string, vaultSpec: Record<string, unknown>) =>
    h.applyIssuer(
      { kind: "ClusterIssuer", name },
      { vault: { path: "pki/sign/web", ...vaultSpec } as never },
    );
  const appRole = {
    appRole: { path: "approle", roleId: "signer", secretRef: { name: "approle", key: "secretId" } },
  };

  async function readyWith(stream: string, reason: string) {
    return await h.until(`${stream} Ready reason ${reason}`, async () => {
      const condition = readyCondition(await h.issuer(stream));
      return condition?.reason === reason ? condition : undefined;
    });
  }

  async function issues(issuerName: string, name: string) {
    await h.requestWithNextKey(
      "apps",
      name,
      { name: issuerName, kind: "ClusterIssuer" },
      { commonName: `${name}.example.com`, dnsNames: [`${name}.example.com`] },
    );
    const request = await h.until(`apps/${name} issued or failed`, async () =>
      finished(await h.request("apps", name)),
    );
    assert.equal(request.phase, "issued", JSON.stringify(request.conditions));
    const [leaf] = parseCertificateChain(request.certificate!);
    assert.deepEqual(leaf!.sans.dnsNames, [`${name}.example.com`]);
  }

  it("verifies an https Vault whose CA is given inline as caBundle (base64 PEM), and issues through it", async () => {
    const stream = await issuer("inline-ca", {
      server: vault.url,
      caBundle: base64(serverCa.certificatePem),
      auth: appRole,
    });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
    await issues("inline-ca", "inline");
  });

  it("verifies with the CA of caBundleSecretRef, key ca.crt unless it names another", async () => {
    const stream = await issuer("secret-ca", {
      server: vault.url,
      caBundleSecretRef: { name: "vault-ca" },
      auth: appRole,
    });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
    await issues("secret-ca", "from-secret");
  });

  it("reports VaultError saying to set caBundle when the server's certificate is not trusted, with no CA or another one", async () => {
    for (const [name, caBundle] of [
      ["no-ca", undefined],
      ["wrong-ca", base64(otherCa.certificatePem)],
    ] as const) {
      const stream = await issuer(name, {
        server: vault.url,
        ...(caBundle ? { caBundle } : {}),
        auth: appRole,
      });
      const error = await readyWith(stream, "VaultError");
      assert.equal(error.status, "False");
      assert.match(
        error.message,
        new RegExp(
          `^Failed to initialize Vault client: Vault ${vault.url.replace(/\./g, "\\.")} AppRole login: the server's TLS certificate is not trusted \\(.+\\): set spec\\.vault\\.caBundle \\(base64 PEM\\) or spec\\.vault\\.caBundleSecretRef to the CA that issued it$`,
        ),
        name,
      );
    }
  });

  it("presents clientCertSecretRef/clientKeySecretRef to a listener that requires a client certificate, and says to set them when absent", async () => {
    const withCert = await issuer("mtls", {
      server: strictVault.url,
      caBundle: base64(serverCa.certificatePem),
      clientCertSecretRef: { name: "signer-client" },
      clientKeySecretRef: { name: "signer-client" },
      auth: appRole,
    });
    assert.equal((await readyWith(withCert, "VaultVerified")).status, "True");
    await issues("mtls", "mutual");

    const without = await issuer("mtls-missing", {
      server: strictVault.url,
      caBundle: base64(serverCa.certificatePem),
      auth: appRole,
    });
    const error = await readyWith(without, "VaultError");
    assert.match(
      error.message,
      /AppRole login: Vault's listener refused the TLS client certificate \(tlsv13 alert certificate required\): set spec\.vault\.clientCertSecretRef and clientKeySecretRef to a certificate its tls_client_ca_file trusts$/,
    );

    const half = await issuer("mtls-half", {
      server: strictVault.url,
      caBundle: base64(serverCa.certificatePem),
      clientCertSecretRef: { name: "signer-client" },
      auth: appRole,
    });
    assert.equal(
      (await readyWith(half, "VaultError")).message,
      "Vault clientCertSecretRef and clientKeySecretRef must be set together",
    );
  });

  it("logs in with TLS certificate auth from the kubernetes.io/tls Secret of clientCertificate.secretName, reuses the token, and issues", async () => {
    const stream = await issuer("cert-auth", {
      server: vault.url,
      caBundle: base64(serverCa.certificatePem),
      auth: { clientCertificate: { name: "certplane", secretName: "signer-client" } },
    });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
    const logins = certLogins();
    await issues("cert-auth", "by-cert");
    await issues("cert-auth", "by-cert-again");
    assert.ok(certLogins() <= logins + 1, "one login for both requests: the token is cached");
  });

  it("logs in with the clientCertSecretRef certificate when clientCertificate names no secretName", async () => {
    const stream = await issuer("cert-auth-listener-cert", {
      server: vault.url,
      caBundle: base64(serverCa.certificatePem),
      clientCertSecretRef: { name: "signer-client" },
      clientKeySecretRef: { name: "signer-client" },
      auth: { clientCertificate: { mountPath: "/v1/auth/cert" } },
    });
    assert.equal((await readyWith(stream, "VaultVerified")).status, "True");
  });

  it("reports Vault's refusal of a client certificate whose common name the cert role does not allow", async () => {
    const stream = await issuer("cert-auth-refused", {
      server: vault.url,
      caBundle: base64(serverCa.certificatePem),
      auth: { clientCertificate: { name: "ops-only", secretName: "signer-client" } },
    });
    const error = await readyWith(stream, "VaultError");
    assert.equal(
      error.message,
      "Failed to initialize Vault client: while requesting a Vault token using the TLS certificate auth " +
        '(cert role "ops-only" at /v1/auth/cert): no chain matching all constraints could be found for this login certificate',
    );
  });
});
