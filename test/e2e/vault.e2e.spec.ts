// The Vault issuer through the five service processes over NATS, against the Vault stand-in driven
// by the signer's real node-vault client: AppRole credentials arrive as a user's Opaque Secret over
// gRPC, the leaf verifies with openssl against the stand-in's CA, a name the role does not allow
// ends as a Failed request carrying Vault's own message, and the published secret also lands in
// the stand-in's KV v2 mount through the publisher's Vault KV target.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { VaultStandIn, type VaultStandInCa } from "@certplane/testing/vault";
import { createVaultTestCa } from "../../services/signer/src/testing/vault-test-ca.ts";
import { certificateYaml, withManifest } from "./support/acme-fixtures.ts";
import { certctl, waitReady } from "./support/certctl.ts";
import type { FiveProcessPlane } from "./support/five-process-plane.ts";
import { startFiveProcessPlane } from "./support/five-process-plane.ts";
import { openssl } from "./support/openssl.ts";
import { eventually } from "./support/service-process.ts";

interface ListedRequest {
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly status?: { readonly conditions?: readonly { type: string; reason?: string; message?: string }[] };
}

async function requestsIn(server: string, namespace: string): Promise<ListedRequest[]> {
  const result = await certctl(server, "get", "certificaterequests", "-n", namespace, "-o", "json");
  if (result.code !== 0) throw new Error(result.stderr);
  const parsed = JSON.parse(result.stdout);
  return parsed.items ?? parsed;
}

const manifests = (vaultUrl: string) =>
  [
    "apiVersion: v1",
    "kind: Secret",
    "type: Opaque",
    "metadata: { name: vault-approle, namespace: cert-manager }",
    "stringData: { secretId: approle-secret }",
    "---",
    "apiVersion: cert-manager.io/v1",
    "kind: ClusterIssuer",
    "metadata: { name: vault }",
    "spec:",
    "  vault:",
    `    server: ${vaultUrl}`,
    "    path: pki/sign/web",
    "    namespace: platform",
    "    auth:",
    "      appRole: { path: approle, roleId: cert-manager, secretRef: { name: vault-approle, key: secretId } }",
    "---",
    certificateYaml({
      namespace: "web",
      name: "site",
      secretName: "site-tls",
      issuer: "vault",
      dnsNames: ["site.example.com"],
    }),
    "---",
    certificateYaml({
      namespace: "web",
      name: "outside",
      secretName: "outside-tls",
      issuer: "vault",
      dnsNames: ["outside.example.org"],
    }),
  ].join("\n");

describe("the Vault issuer through five processes", () => {
  let vault: VaultStandIn;
  let ca: VaultStandInCa;
  let tokenDir: string;
  let plane: FiveProcessPlane;

  before(async () => {
    ca = await createVaultTestCa(new Date());
    vault = await VaultStandIn.start({ now: () => new Date(), namespace: "platform", ca });
    vault.writeRole("web", { allowed_domains: ["example.com"], allow_subdomains: true, max_ttl: "2160h" });
    vault.writeAppRole("cert-manager", "approle-secret", 3600);
    tokenDir = await mkdtemp(join(tmpdir(), "certplane-vault-token-"));
    const tokenFile = join(tokenDir, "token");
    await writeFile(tokenFile, `${vault.createToken()}\n`, { mode: 0o600 });
    plane = await startFiveProcessPlane({
      perService: {
        "secret-publisher": {
          CERTPLANE_VAULT_KV_ADDR: vault.url,
          CERTPLANE_VAULT_KV_TOKEN_FILE: tokenFile,
          CERTPLANE_VAULT_KV_NAMESPACE: "platform",
        },
      },
    });
  });

  after(async () => {
    await plane?.dispose();
    await vault?.stop();
    if (tokenDir) await rm(tokenDir, { recursive: true, force: true });
  });

  test("issues a Certificate with AppRole and fails one outside allowed_domains with Vault's message", async () => {
    const server = plane.grpcServer;
    const applied = await withManifest(manifests(vault.url), (file) => certctl(server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);

    const waited = await waitReady(server, "site", "web");
    assert.equal(waited.code, 0, `${waited.stderr}\n${plane.logs()}`);
    const published = join(plane.secretsDir, "web", "site-tls");
    // Beside the published secrets, not among them: the publisher owns those directories.
    const caFile = join(plane.secretsDir, "..", "vault-ca.pem");
    await writeFile(caFile, ca.certificatePem);
    const verified = await openssl(["verify", "-CAfile", caFile, join(published, "tls.crt")]);
    assert.match(verified, /tls\.crt: OK/);
    const text = await openssl(["x509", "-in", join(published, "tls.crt"), "-noout", "-text"]);
    assert.match(text, /DNS:site\.example\.com/);

    // The published secret also lands in Vault KV, under <prefix>/<namespace>/<name>.
    const stored = await eventually(
      "the secret to land in Vault KV",
      async () => vault.kvSecret("certplane/web/site-tls"),
      { timeoutMs: 30_000, onTimeout: plane.logs },
    );
    assert.equal(stored.data["tls.crt"], await readFile(join(published, "tls.crt"), "utf8"));
    assert.match(stored.data["tls.key"] ?? "", /-----BEGIN (EC )?PRIVATE KEY-----/);

    const failed = await eventually(
      "the request for outside.example.org to fail",
      async () =>
        (await requestsIn(server, "web"))
          .filter((request) => request.metadata.name.startsWith("outside-"))
          .flatMap((request) => request.status?.conditions ?? [])
          .find((condition) => condition.type === "Ready" && condition.reason === "Failed"),
      { timeoutMs: 60_000, onTimeout: plane.logs },
    );
    assert.equal(
      failed.message,
      // The Certificate names no common name, so Vault's role check meets the DNS name as an alt name.
      "Vault failed to sign certificate: subject alternate name outside.example.org not allowed by this role",
    );
  });

  test("a vaultKV SecretTarget puts the same Secret into Vault KV, its token held in a sealed Secret", async () => {
    const server = plane.grpcServer;
    const target = [
      "apiVersion: v1",
      "kind: Secret",
      "type: Opaque",
      "metadata: { name: vault-kv-token, namespace: cert-manager }",
      `stringData: { token: "${vault.createToken()}" }`,
      "---",
      "apiVersion: certplane.io/v1alpha1",
      "kind: SecretTarget",
      "metadata: { name: vault-kv }",
      "spec:",
      "  selector: { namespaces: [web] }",
      "  vaultKV:",
      `    server: ${vault.url}`,
      "    namespace: platform",
      "    prefix: targets",
      "    tokenSecretRef: { name: vault-kv-token }",
    ].join("\n");
    const applied = await withManifest(target, (file) => certctl(server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    const stored = await eventually(
      "the secret to land under the target's prefix",
      async () => vault.kvSecret("targets/web/site-tls"),
      { timeoutMs: 30_000, onTimeout: plane.logs },
    );
    const published = join(plane.secretsDir, "web", "site-tls");
    assert.equal(stored.data["tls.crt"], await readFile(join(published, "tls.crt"), "utf8"));
    const got = await certctl(server, "get", "certificate", "site", "-n", "web", "-o", "json");
    const publications = (
      JSON.parse(got.stdout) as { status: { publications?: { target: string; upToDate: boolean }[] } }
    ).status.publications;
    assert.deepEqual(
      publications?.map((p) => [p.target, p.upToDate]),
      [["vault-kv", true]],
    );
  });
});
