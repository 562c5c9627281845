// A CA and a leaf it signed, made with @certplane/pki, for the TLS Secret specs.
import { createCsr, encodePrivateKeyPem, generatePrivateKey, signCertificate } from "@certplane/pki";

export interface TlsFixture {
  readonly caPem: string;
  readonly leafPem: string;
  readonly leafKeyPem: string;
  readonly otherKeyPem: string;
}

export async function makeTlsFixture(now: Date): Promise<TlsFixture> {
  const caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const leafKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const otherKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const ca = await signCertificate({
    csrPem: await createCsr({ subject: { commonName: "fixture-ca" }, isCA: true }, caKey),
    isCA: true,
    duration: 365 * 24 * 3_600_000,
    notBefore: now,
    serialNumber: "01",
    signer: { kind: "selfSigned", privateKey: caKey },
  });
  const leaf = await signCertificate({
    csrPem: await createCsr(
      { subject: { commonName: "app.example.com" }, dnsNames: ["app.example.com"] },
      leafKey,
    ),
    duration: 30 * 24 * 3_600_000,
    notBefore: now,
    serialNumber: "02",
    usages: ["digital signature", "key encipherment", "server auth"],
    signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
  });
  return {
    caPem: ca.pem,
    leafPem: leaf.pem,
    leafKeyPem: encodePrivateKeyPem(leafKey, "PKCS8"),
    otherKeyPem: encodePrivateKeyPem(otherKey, "PKCS8"),
  };
}
