import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { CertificateRequestState } from "@certplane/domain/model";
import { splitPemChain } from "@certplane/pki";
import { type SignerHarness, startSignerHarness } from "./testing/signer-harness.ts";

const run = promisify(execFile);
const openssl = async (...args: string[]) => (await run("openssl", args)).stdout;

describe("signer against the openssl binary", () => {
  let h: SignerHarness;
  let dir: string;
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };
  const issued = async (namespace: string, name: string) =>
    await h.until(`${namespace}/${name} issued`, async () => {
      const state: CertificateRequestState = await h.request(namespace, name);
      return state.status === "present" && state.phase === "issued" ? state : undefined;
    });

  before(async () => {
    h = await startSignerHarness();
    dir = await mkdtemp(join(tmpdir(), "certplane-signer-"));
  });
  after(async () => {
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("bootstraps a root with a selfSigned issuer, then a CA issuer signs a leaf that openssl verifies", async () => {
    await h.applyIssuer({ kind: "ClusterIssuer", name: "bootstrap" }, { selfSigned: {} });
    const root = await h.requestWithNextKey(
      "cert-manager",
      "root-ca",
      { name: "bootstrap", kind: "ClusterIssuer" },
      { isCA: true, commonName: "certplane test root" },
    );
    const rootRequest = await issued("cert-manager", "root-ca");
    // What secret-publisher would publish for the root Certificate.
    await h.writeTlsSecret("cert-manager", "root-ca", {
      certificatePem: rootRequest.certificate!,
      privateKey: root.privateKey,
      caPem: rootRequest.ca!,
    });
    await h.applyIssuer(
      { kind: "ClusterIssuer", name: "root-ca" },
      {
        ca: {
          secretName: "root-ca",
          crlDistributionPoints: ["http://crl.example.com/root.crl"],
          ocspServers: ["http://ocsp.example.com"],
          issuingCertificateURLs: ["http://ca.example.com/root.crt"],
        },
      },
    );
    await h.requestWithNextKey(
      "apps",
      "web",
      { name: "root-ca", kind: "ClusterIssuer" },
      { dnsNames: ["web.apps.example.com"] },
    );
    const leafRequest = await issued("apps", "web");

    const [leafPem, ...chain] = splitPemChain(leafRequest.certificate!);
    const at = String(Math.floor(h.clock.now().getTime() / 1000) + 3600);
    const verified = await openssl(
      "verify",
      "-attime",
      at,
      "-CAfile",
      await file("ca.crt", leafRequest.ca!),
      "-untrusted",
      await file("chain.pem", chain.join("")),
      await file("leaf.pem", leafPem!),
    );
    assert.match(verified, /leaf\.pem: OK/);

    const text = await openssl("x509", "-noout", "-text", "-in", await file("leaf-text.pem", leafPem!));
    assert.match(text, /CA:FALSE/);
    assert.match(text, /DNS:web\.apps\.example\.com/);
    assert.match(text, /Digital Signature, Key Encipherment/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /URI:http:\/\/crl\.example\.com\/root\.crl/);
    assert.match(text, /OCSP - URI:http:\/\/ocsp\.example\.com/);
    assert.match(text, /CA Issuers - URI:http:\/\/ca\.example\.com\/root\.crt/);
    assert.match(text, /X509v3 Subject Key Identifier/);
    assert.match(text, /X509v3 Authority Key Identifier/);
  });
});
