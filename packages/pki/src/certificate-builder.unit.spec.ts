import assert from "node:assert/strict";
import type { KeyObject } from "node:crypto";
import { before, describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { type SignCertificateInput, signCertificate } from "./certificate-builder.ts";
import type { CertificateEncoder } from "./certificate-encoder.ts";
import { parseCertificate } from "./certificate-view.ts";
import { type CsrTemplate, createCsr } from "./csr.ts";
import { expectedPem, knownAnswers } from "./fixtures/known-answers.ts";
import { keyIdentifier } from "./key-identifier.ts";
import { generatePrivateKey } from "./keys.ts";
import { peculiarCertificateEncoder } from "./peculiar-certificate-encoder.ts";
import { X509Certificate } from "./x509.ts";
import { OID } from "./x509-extensions.ts";

const day = 24 * 3600 * 1000;
const notBefore = new Date("2025-03-01T10:00:00.750Z");

const rules = (error: unknown) => (error instanceof ValidationError ? error.issues.map((i) => i.rule) : []);

describe("signCertificate", () => {
  for (const [name, answer] of Object.entries(knownAnswers)) {
    it(`reproduces the ${name} known-answer certificate byte for byte`, async () => {
      const csrPem = await createCsr(answer.csr, answer.sign.signer.privateKey);
      const signed = await signCertificate({ ...answer.sign, csrPem });
      assert.equal(signed.pem, expectedPem(answer));
    });
  }

  describe("with a CA", () => {
    let caKey: KeyObject;
    let caPem: string;
    let leafKey: KeyObject;
    const leafRequest: CsrTemplate = {
      subject: { commonName: "web.example", organizations: ["Demo Corp"] },
      dnsNames: ["web.example", "www.web.example"],
      ipAddresses: ["192.0.2.10"],
      uris: ["spiffe://demo/web"],
      emailAddresses: ["web@demo.example"],
    };
    const signLeaf = async (overrides: Partial<SignCertificateInput> = {}, request = leafRequest) =>
      signCertificate({
        csrPem: await createCsr(request, leafKey),
        notBefore,
        serialNumber: "0abc",
        signer: { kind: "ca", privateKey: caKey, certificatePem: caPem },
        ...overrides,
      });

    before(async () => {
      caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 384 });
      leafKey = await generatePrivateKey({ algorithm: "Ed25519" });
      const ca = await signCertificate({
        csrPem: await createCsr(
          { subject: { commonName: "Demo CA", organizations: ["Demo Corp"] }, isCA: true },
          caKey,
        ),
        isCA: true,
        duration: 30 * day,
        notBefore,
        serialNumber: "01",
        signer: { kind: "selfSigned", privateKey: caKey },
      });
      caPem = ca.pem;
    });

    it("issues a leaf with the CSR's subject and SANs, the CA as issuer and a 90-day default validity", async () => {
      const leaf = parseCertificate((await signLeaf()).pem);
      const ca = parseCertificate(caPem);
      assert.equal(leaf.subject.dn, "CN=web.example,O=Demo Corp");
      assert.equal(leaf.issuer.dn, "CN=Demo CA,O=Demo Corp");
      assert.deepEqual(leaf.sans, {
        dnsNames: ["web.example", "www.web.example"],
        ipAddresses: ["192.0.2.10"],
        uris: ["spiffe://demo/web"],
        emailAddresses: ["web@demo.example"],
      });
      assert.deepEqual(leaf.notBefore, new Date("2025-03-01T10:00:00Z"));
      assert.deepEqual(leaf.notAfter, new Date(new Date("2025-03-01T10:00:00Z").getTime() + 90 * day));
      assert.equal(leaf.serialNumber, "0abc");
      assert.equal(leaf.isCA, false);
      assert.deepEqual(leaf.usages, ["digital signature", "key encipherment"]);
      assert.equal(leaf.signatureAlgorithm, "ECDSAWithSHA384");
      assert.equal(leaf.subjectKeyId, Buffer.from(keyIdentifier(leafKey)).toString("hex"));
      assert.equal(leaf.authorityKeyId, ca.subjectKeyId);
      assert.equal(ca.authorityKeyId, ca.subjectKeyId);
    });

    it("caps notAfter at the CA's notAfter only when asked to", async () => {
      const ca = parseCertificate(caPem);
      assert.ok(parseCertificate((await signLeaf()).pem).notAfter > ca.notAfter);
      const capped = parseCertificate((await signLeaf({ capNotAfterToIssuer: true })).pem);
      assert.deepEqual(capped.notAfter, ca.notAfter);
    });

    it("uses a requested signature algorithm of the CA key's family and rejects another family", async () => {
      const leaf = parseCertificate((await signLeaf({ signatureAlgorithm: "ECDSAWithSHA512" })).pem);
      assert.equal(leaf.signatureAlgorithm, "ECDSAWithSHA512");
      await assert.rejects(signLeaf({ signatureAlgorithm: "PureEd25519" }), (e) =>
        rules(e).includes("keyAlgorithmMismatch"),
      );
    });

    it("refuses usages that differ from the usages encoded in the CSR", async () => {
      await assert.rejects(
        signLeaf({ usages: ["client auth"] }, { ...leafRequest, usages: ["server auth"] }),
        (e) => rules(e).includes("extKeyUsageMismatch"),
      );
    });

    it("refuses isCA when the CSR asked for a CA and the request does not", async () => {
      await assert.rejects(signLeaf({}, { ...leafRequest, isCA: true }), (e) =>
        rules(e).includes("isCAMismatch"),
      );
    });

    it("refuses a CSR without any identity", async () => {
      await assert.rejects(signLeaf({}, {}), (e) => rules(e).includes("noIdentity"));
    });

    it("refuses to sign with a certificate that is not a CA", async () => {
      const leafPem = (await signLeaf()).pem;
      await assert.rejects(
        signLeaf({ signer: { kind: "ca", privateKey: leafKey, certificatePem: leafPem } }),
        (e) => rules(e).includes("notCA"),
      );
    });

    it("refuses a CA key that does not belong to the CA certificate", async () => {
      const stranger = await generatePrivateKey({ algorithm: "ECDSA", size: 384 });
      await assert.rejects(
        signLeaf({ signer: { kind: "ca", privateKey: stranger, certificatePem: caPem } }),
        (e) => rules(e).includes("keyMismatch"),
      );
    });

    it("refuses an invalid serial number", async () => {
      await assert.rejects(signLeaf({ serialNumber: "00" }), (e) => rules(e).includes("serial"));
    });

    it("hands the decided certificate to the injected encoder", async () => {
      const seen: string[] = [];
      const recording: CertificateEncoder = {
        async encode(certificate, key) {
          seen.push(certificate.signatureAlgorithm);
          return peculiarCertificateEncoder.encode(certificate, key);
        },
      };
      await signCertificate(
        {
          csrPem: await createCsr(leafRequest, leafKey),
          notBefore,
          serialNumber: "0abc",
          signer: { kind: "ca", privateKey: caKey, certificatePem: caPem },
        },
        recording,
      );
      assert.deepEqual(seen, ["ECDSAWithSHA384"]);
    });
  });

  it("refuses to self-sign with a key other than the CSR's", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    const other = await generatePrivateKey({ algorithm: "Ed25519" });
    await assert.rejects(
      signCertificate({
        csrPem: await createCsr({ dnsNames: ["a.example"] }, key),
        notBefore,
        serialNumber: "01",
        signer: { kind: "selfSigned", privateKey: other },
      }),
      (e) => rules(e).includes("keyMismatch"),
    );
  });

  it("marks SANs critical when the subject is empty (RFC 5280 §4.2.1.6)", async () => {
    const key = await generatePrivateKey({ algorithm: "Ed25519" });
    const signed = await signCertificate({
      csrPem: await createCsr({ dnsNames: ["only-san.example"] }, key),
      notBefore,
      serialNumber: "01",
      signer: { kind: "selfSigned", privateKey: key },
    });
    const view = parseCertificate(signed.pem);
    assert.equal(view.subject.dn, "");
    assert.deepEqual(view.sans.dnsNames, ["only-san.example"]);
    assert.equal(new X509Certificate(signed.der).getExtension(OID.subjectAltName)?.critical, true);
  });
});
