import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { signCertificate } from "./certificate-builder.ts";
import { createCsr } from "./csr.ts";
import { derCertificateEncoder } from "./der-certificate-encoder.ts";
import { certificateCases } from "./fixtures/certificate-cases.ts";
import { generatePrivateKey, type KeySpec } from "./keys.ts";
import { toPem } from "./pem.ts";

const run = promisify(execFile);
const openssl = async (...args: string[]) => (await run("/usr/bin/openssl", args)).stdout;
const day = 24 * 3600 * 1000;

describe("derCertificateEncoder against the openssl binary", () => {
  let dir: string;
  const file = async (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-der-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const caKeys: readonly KeySpec[] = [
    { algorithm: "ECDSA", size: 384 },
    { algorithm: "RSA", size: 2048 },
    { algorithm: "Ed25519" },
  ];
  for (const caKeySpec of caKeys) {
    it(`issues a CA with a ${caKeySpec.algorithm} key and a leaf that openssl verify accepts`, async () => {
      const notBefore = new Date(Date.now() - 60_000);
      const caKey = await generatePrivateKey(caKeySpec);
      const ca = await signCertificate(
        {
          csrPem: await createCsr({ subject: { commonName: "DER Root" }, isCA: true }, caKey),
          isCA: true,
          duration: 30 * day,
          notBefore,
          serialNumber: "01",
          signer: { kind: "selfSigned", privateKey: caKey },
        },
        derCertificateEncoder,
      );
      const leafKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
      const usages = ["digital signature", "key encipherment", "server auth", "client auth"];
      const leaf = await signCertificate(
        {
          csrPem: await createCsr(
            {
              subject: { commonName: "app.example", organizations: ["Demo"] },
              dnsNames: ["app.example"],
              ipAddresses: ["192.0.2.7", "2001:db8::7"],
              uris: ["spiffe://demo/app"],
              emailAddresses: ["app@demo.example"],
              otherNames: [{ oid: "1.3.6.1.4.1.311.20.2.3", utf8Value: "app@upn.example" }],
              usages,
            },
            leafKey,
          ),
          usages,
          duration: day,
          notBefore,
          serialNumber: "8f0000000000000000000000000000aa",
          signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
          crlDistributionPoints: ["http://crl.demo.example/ca.crl"],
          ocspServers: ["http://ocsp.demo.example"],
          issuingCertificateUrls: ["http://demo.example/ca.crt"],
        },
        derCertificateEncoder,
      );
      const caPath = await file(`ca-${caKeySpec.algorithm}.pem`, ca.pem);
      const leafPath = await file(`leaf-${caKeySpec.algorithm}.pem`, leaf.pem);
      const verified = await openssl("verify", "-CAfile", caPath, leafPath);
      assert.match(verified, /: OK$/m);
      const text = await openssl("x509", "-noout", "-text", "-in", leafPath);
      assert.match(text, /DNS:app\.example, email:app@demo\.example, IP Address:192\.0\.2\.7/);
      assert.match(text, /URI:http:\/\/crl\.demo\.example\/ca\.crl/);
      assert.match(text, /OCSP - URI:http:\/\/ocsp\.demo\.example/);
    });
  }

  it("writes every field combination so that openssl asn1parse and x509 -text read it", async () => {
    for (const { name, certificate, signingKey } of await certificateCases()) {
      const der = await derCertificateEncoder.encode(certificate, signingKey);
      const path = await file("case.pem", toPem("CERTIFICATE", der));
      await assert.doesNotReject(openssl("asn1parse", "-in", path), `asn1parse: ${name}`);
      const text = await openssl("x509", "-noout", "-text", "-in", path);
      assert.match(text, /X509v3 Basic Constraints: critical/, name);
      assert.doesNotMatch(text, /unable to|error:|unparsable/i, name);
    }
  });
});
