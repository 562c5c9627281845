// spec.literalSubject, spec.otherNames and spec.nameConstraints applied to the embedded default
// and read back from the published tls.crt with openssl: in the certificate, not dropped.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runTool } from "@certplane/pki/testing";
import { certctl, waitReady } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";

const manifest = [
  "apiVersion: cert-manager.io/v1",
  "kind: Certificate",
  "metadata: {name: constrained-ca, namespace: demo-apps}",
  "spec:",
  "  secretName: constrained-ca",
  "  isCA: true",
  "  commonName: Constrained CA",
  "  issuerRef: {name: selfsigned-issuer, kind: ClusterIssuer}",
  "  nameConstraints:",
  "    critical: true",
  "    permitted: {dnsDomains: [example.com], ipRanges: [10.0.0.0/8]}",
  "    excluded: {dnsDomains: [bad.example.com]}",
  "---",
  "apiVersion: cert-manager.io/v1",
  "kind: Certificate",
  "metadata: {name: literal-tls, namespace: demo-apps}",
  "spec:",
  "  secretName: literal-tls",
  '  literalSubject: "CN=John Doe,OU=Eng+UID=jdoe,DC=example,DC=com"',
  "  dnsNames: [literal.example.com]",
  "  otherNames:",
  "    - {oid: 1.3.6.1.4.1.311.20.2.3, utf8Value: jdoe@example.com}",
  "  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer}",
].join("\n");

describe("literalSubject, otherNames and nameConstraints, end to end", () => {
  let embedded: TestEmbeddedPlane;
  const certificateText = (secret: string) =>
    runTool("openssl", [
      "x509",
      "-in",
      join(embedded.workDir, "secrets", "demo-apps", secret, "tls.crt"),
      "-noout",
      "-text",
      "-nameopt",
      "RFC2253",
    ]);

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-identity-");
    await applySeedAndWait(embedded.server);
    const path = join(embedded.workDir, "identity.yaml");
    await writeFile(path, manifest);
    const applied = await certctl(embedded.server, "apply", "-f", path);
    assert.equal(applied.code, 0, applied.stderr);
    for (const name of ["constrained-ca", "literal-tls"]) {
      const waited = await waitReady(embedded.server, name, "demo-apps");
      assert.equal(waited.code, 0, `${name}: ${waited.stderr}`);
    }
  });

  after(async () => {
    await embedded?.dispose();
  });

  test("the CA certificate carries the name constraints, critical", async () => {
    assert.match(
      await certificateText("constrained-ca"),
      /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:example\.com\s+IP:10\.0\.0\.0\/255\.0\.0\.0\s+Excluded:\s+DNS:bad\.example\.com/,
    );
  });

  test("the leaf has the literal subject in its RDN order with UID and DC, and the UPN otherName", async () => {
    const text = await certificateText("literal-tls");
    // openssl's RFC 2253 printing reverses the attributes of an RDN as well as the RDNs.
    assert.match(text, /Subject: CN=John Doe,UID=jdoe\+OU=Eng,DC=example,DC=com\n/);
    assert.match(
      text,
      /X509v3 Subject Alternative Name:\s+DNS:literal\.example\.com, othername: UPN:+jdoe@example\.com/,
    );
  });
});
