import { randomBytes } from "node:crypto";
import {
  createCsr,
  encodePrivateKeyPem,
  generatePrivateKey,
  parseCertificate,
  randomSerialNumber,
  signCertificate,
} from "@certplane/pki";
import type { VaultStandInCa } from "@certplane/testing/vault";

const random = (size: number) => new Uint8Array(randomBytes(size));

/** A self-signed root for the Vault stand-in's PKI mount, valid from an hour before `now`. */
export async function createVaultTestCa(now: Date): Promise<VaultStandInCa> {
  const privateKey = await generatePrivateKey({ algorithm: "ECDSA" });
  const root = await signCertificate({
    csrPem: await createCsr({ subject: { commonName: "Vault Stand-in Root CA" }, isCA: true }, privateKey),
    isCA: true,
    notBefore: new Date(now.getTime() - 3600_000),
    duration: 10 * 365 * 24 * 3600_000,
    serialNumber: randomSerialNumber(random),
    signer: { kind: "selfSigned", privateKey },
  });
  return {
    certificatePem: root.pem,
    async sign({ csrPem, isCA, notBefore, durationMs }) {
      const { pem } = await signCertificate({
        csrPem,
        isCA,
        notBefore,
        duration: durationMs,
        serialNumber: randomSerialNumber(random),
        signer: { kind: "ca", privateKey, certificatePem: root.pem },
      });
      const certificate = parseCertificate(pem);
      return { pem, serialNumberHex: certificate.serialNumber, notAfter: certificate.notAfter };
    },
  };
}

/** A certificate and its PKCS#8 key, PEM, as a TLS listener or client is configured with. */
export interface TlsKeyPair {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** A test CA for TLS: Vault's listener certificate, or client certificates for mTLS and cert auth. */
export interface TlsTestCa {
  readonly certificatePem: string;
  issue(options: {
    readonly commonName: string;
    readonly ipAddresses?: readonly string[];
    readonly usages: readonly ("server auth" | "client auth")[];
  }): Promise<TlsKeyPair>;
}

/** A self-signed TLS CA named `commonName`, valid from an hour before `now`. */
export async function createTlsTestCa(commonName: string, now: Date): Promise<TlsTestCa> {
  const caKey = await generatePrivateKey({ algorithm: "ECDSA" });
  const notBefore = new Date(now.getTime() - 3600_000);
  const root = await signCertificate({
    csrPem: await createCsr({ subject: { commonName }, isCA: true }, caKey),
    isCA: true,
    notBefore,
    duration: 365 * 24 * 3600_000,
    serialNumber: randomSerialNumber(random),
    signer: { kind: "selfSigned", privateKey: caKey },
  });
  return {
    certificatePem: root.pem,
    async issue({ commonName: name, ipAddresses = [], usages }) {
      const key = await generatePrivateKey({ algorithm: "ECDSA" });
      const allUsages = ["digital signature", "key encipherment", ...usages];
      const { pem } = await signCertificate({
        csrPem: await createCsr({ subject: { commonName: name }, ipAddresses, usages: allUsages }, key),
        usages: allUsages,
        notBefore,
        duration: 30 * 24 * 3600_000,
        serialNumber: randomSerialNumber(random),
        signer: { kind: "ca", privateKey: caKey, certificatePem: root.pem },
      });
      return { certificatePem: pem, privateKeyPem: encodePrivateKeyPem(key, "PKCS8") };
    },
  };
}
