import { randomBytes } from "node:crypto";
import {
  createCsr,
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
