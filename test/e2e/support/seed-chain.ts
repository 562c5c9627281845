import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { certctl, waitReady } from "./certctl.ts";
import { openssl } from "./openssl.ts";
import { repoRoot } from "./service-process.ts";

export const seedManifest = join(repoRoot, "examples/seed.yaml");

const seedCertificates = [
  { namespace: "cert-manager", name: "demo-ca", secret: "demo-ca-secret" },
  { namespace: "demo-apps", name: "myapp-tls", secret: "myapp-tls-secret" },
  { namespace: "demo-apps", name: "short-lived-cert", secret: "short-lived-cert-tls" },
] as const;

/** Applies the seed verbatim through certctl and waits until every certificate is Ready. */
export async function applySeedAndWait(server: string): Promise<void> {
  const applied = await certctl(server, "apply", "-f", seedManifest);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /clusterissuer\.cert-manager\.io\/selfsigned-issuer created/);
  assert.match(applied.stdout, /certificate\.cert-manager\.io\/myapp-tls created/);
  for (const cert of seedCertificates) {
    const waited = await waitReady(server, cert.name, cert.namespace);
    assert.equal(waited.code, 0, `${cert.name}: ${waited.stderr}`);
  }
}

/** What the "done when" says about the seed chain, checked with the real openssl. */
export async function assertSeedChainFiles(secretsDir: string): Promise<void> {
  const ca = join(secretsDir, "cert-manager", "demo-ca-secret");
  const app = join(secretsDir, "demo-apps", "myapp-tls-secret");

  const verified = await openssl(["verify", "-CAfile", join(app, "ca.crt"), join(app, "tls.crt")]);
  assert.match(verified, /tls\.crt: OK/);

  const caText = await openssl(["x509", "-in", join(ca, "tls.crt"), "-noout", "-text"]);
  assert.match(caText, /CA:TRUE/);
  assert.match(caText, /Subject:.*O\s*=\s*Demo Corp/);
  const caKey = await openssl(["pkey", "-in", join(ca, "tls.key"), "-noout", "-text"]);
  assert.match(caKey, /prime256v1|P-256/);

  const appText = await openssl(["x509", "-in", join(app, "tls.crt"), "-noout", "-text"]);
  assert.match(appText, /DNS:myapp\.example\.com/);
  assert.match(appText, /DNS:www\.myapp\.example\.com/);
  const appKey = await openssl(["pkey", "-in", join(app, "tls.key"), "-noout", "-text"]);
  assert.match(appKey, /Private-Key: \(2048 bit/);
  const keyMode = (await stat(join(app, "tls.key"))).mode & 0o777;
  assert.equal(keyMode, 0o600);

  // The key in tls.key is the key of the certificate in tls.crt.
  const certPub = await openssl(["x509", "-in", join(app, "tls.crt"), "-noout", "-pubkey"]);
  const keyPub = await openssl(["pkey", "-in", join(app, "tls.key"), "-pubout"]);
  assert.equal(certPub.trim(), keyPub.trim());

  const caCrt = await readFile(join(app, "ca.crt"), "utf8");
  assert.equal(caCrt.trim(), (await readFile(join(ca, "tls.crt"), "utf8")).trim());
}
