// A Certificate with every keystore and additional output format, applied to the embedded default,
// read back from the published files with the real openssl and keytool.
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { keytoolList, opensslPkcs12Info, pemBlocksIn, runTool } from "@certplane/pki/testing";
import { certctl, waitReady } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { eventually } from "./support/service-process.ts";

const p12Password = "p12-from-secret";
const jksPassword = "jks-literal";

const passwordSecret = (password: string) =>
  [
    "apiVersion: v1",
    "kind: Secret",
    "type: Opaque",
    "metadata: {name: keystore-password, namespace: demo-apps}",
    "stringData:",
    `  password: ${password}`,
  ].join("\n");

const keystoreCertificate = [
  "apiVersion: cert-manager.io/v1",
  "kind: Certificate",
  "metadata: {name: keystore-tls, namespace: demo-apps}",
  "spec:",
  "  secretName: keystore-tls",
  "  dnsNames: [keystore.example.com]",
  "  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer}",
  "  privateKey: {algorithm: ECDSA, size: 256}",
  "  additionalOutputFormats: [{type: DER}, {type: CombinedPEM}]",
  "  keystores:",
  "    pkcs12:",
  "      create: true",
  "      profile: Modern2023",
  "      passwordSecretRef: {name: keystore-password, key: password}",
  "    jks:",
  "      create: true",
  "      alias: web",
  `      password: ${jksPassword}`,
].join("\n");

describe("keystores and additional output formats, end to end", () => {
  let embedded: TestEmbeddedPlane;
  let secretDir: string;
  const file = (name: string) => join(secretDir, name);

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-keystores-");
    secretDir = join(embedded.workDir, "secrets", "demo-apps", "keystore-tls");
    await applySeedAndWait(embedded.server);
    const manifest = join(embedded.workDir, "keystores.yaml");
    await writeFile(manifest, `${passwordSecret(p12Password)}\n---\n${keystoreCertificate}\n`);
    const applied = await certctl(embedded.server, "apply", "-f", manifest);
    assert.equal(applied.code, 0, applied.stderr);
    const waited = await waitReady(embedded.server, "keystore-tls", "demo-apps");
    assert.equal(waited.code, 0, waited.stderr);
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("the published files hold every key cert-manager writes, the private ones owner-only", async () => {
    for (const name of [
      "key.der",
      "tls-combined.pem",
      "keystore.p12",
      "truststore.p12",
      "keystore.jks",
      "truststore.jks",
    ]) {
      assert.equal((await stat(file(name))).mode & 0o777, 0o600, name);
    }
  });

  test("key.der is tls.key in DER and tls-combined.pem is tls.key then tls.crt", async () => {
    const fromDer = await runTool("openssl", ["pkey", "-inform", "DER", "-in", file("key.der"), "-pubout"]);
    const fromCert = await runTool("openssl", ["x509", "-in", file("tls.crt"), "-noout", "-pubkey"]);
    assert.equal(fromDer.trim(), fromCert.trim());
    const [keyPem, chainPem, combined] = await Promise.all(
      ["tls.key", "tls.crt", "tls-combined.pem"].map((name) => readFile(file(name), "utf8")),
    );
    assert.equal(combined, `${keyPem}\n${chainPem}`);
  });

  test("openssl reads key, leaf and CA from the Modern2023 keystore.p12, and keytool the truststore.p12", async () => {
    const info = await opensslPkcs12Info(file("keystore.p12"), p12Password);
    assert.match(info, /MAC: sha256, Iteration 2048/);
    assert.match(info, /PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    // tls.key is PKCS#1 or SEC 1 by default; `openssl pkey` prints it as PKCS#8, as the keystore holds it.
    const keyPkcs8 = await runTool("openssl", ["pkey", "-in", file("tls.key")]);
    assert.deepEqual(pemBlocksIn(info, "PRIVATE KEY"), pemBlocksIn(keyPkcs8, "PRIVATE KEY"));
    const chain = pemBlocksIn(await readFile(file("tls.crt"), "utf8"), "CERTIFICATE");
    const ca = pemBlocksIn(await readFile(file("ca.crt"), "utf8"), "CERTIFICATE");
    assert.deepEqual(pemBlocksIn(info, "CERTIFICATE"), [...chain, ...ca]);

    const trust = await keytoolList(file("truststore.p12"), p12Password);
    assert.match(trust, /Your keystore contains 1 entry/);
    assert.match(trust, /Entry type: trustedCertEntry/);
    assert.match(trust, /Owner: CN=demo-ca, O=Demo Corp/);
  });

  test("keytool lists the JKS PrivateKeyEntry under its alias with the chain, and the CA as trusted", async () => {
    const chain = pemBlocksIn(await readFile(file("tls.crt"), "utf8"), "CERTIFICATE");
    const listed = await keytoolList(file("keystore.jks"), jksPassword);
    assert.match(listed, /Keystore type: JKS/);
    assert.match(
      listed,
      new RegExp(
        `Alias name: web\\s+Creation date: .+\\s+Entry type: PrivateKeyEntry\\s+Certificate chain length: ${chain.length}`,
      ),
    );
    assert.match(listed, /Alias name: ca\s+Creation date: .+\s+Entry type: trustedCertEntry/);
    assert.match(listed, /Owner: CN=keystore\.example\.com|DNSName: keystore\.example\.com/);
    const trust = await keytoolList(file("truststore.jks"), jksPassword);
    assert.match(trust, /Your keystore contains 1 entry\s+Alias name: ca/);
  });

  test("a new password in the Secret rewrites keystore.p12 for it; the certificate stays the same", async () => {
    const before = await readFile(file("tls.crt"), "utf8");
    const rotated = "rotated-p12-password";
    const manifest = join(embedded.workDir, "password.yaml");
    await writeFile(manifest, passwordSecret(rotated));
    const applied = await certctl(embedded.server, "apply", "-f", manifest);
    assert.equal(applied.code, 0, applied.stderr);
    await eventually("keystore.p12 under the new password", async () =>
      (await opensslPkcs12Info(file("keystore.p12"), rotated).catch(() => undefined))?.includes(
        "PRIVATE KEY",
      ),
    );
    assert.equal(await readFile(file("tls.crt"), "utf8"), before);
  });

  test("a changed profile in the spec rewrites keystore.p12 with it, without a new certificate", async () => {
    const before = await readFile(file("tls.crt"), "utf8");
    const manifest = join(embedded.workDir, "legacy-des.yaml");
    await writeFile(manifest, keystoreCertificate.replace("profile: Modern2023", "profile: LegacyDES"));
    const applied = await certctl(embedded.server, "apply", "-f", manifest);
    assert.equal(applied.code, 0, applied.stderr);
    const info = await eventually("keystore.p12 written with LegacyDES", async () => {
      const text = await opensslPkcs12Info(file("keystore.p12"), "rotated-p12-password").catch(() => "");
      return text.includes("PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC") ? text : undefined;
    });
    assert.match(info, /MAC: sha1, Iteration 1/);
    assert.equal(await readFile(file("tls.crt"), "utf8"), before);
  });
});
