import type { KeyObject } from "node:crypto";
import { signCertificate } from "../certificate-builder.ts";
import { createCsr } from "../csr.ts";
import type { KeySpec } from "../keys.ts";
import { generatePrivateKey } from "../keys.ts";

export interface IssuedChain {
  readonly caPem: string;
  readonly caDer: Uint8Array;
  readonly leafPem: string;
  readonly leafDer: Uint8Array;
  readonly leafKey: KeyObject;
}

/** A CA and a leaf it signed, with the leaf's key: what a keystore is built from. */
export async function issueTestChain(
  leafKeySpec: KeySpec = { algorithm: "RSA", size: 2048 },
): Promise<IssuedChain> {
  const notBefore = new Date(Date.now() - 60_000);
  const caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const ca = await signCertificate({
    csrPem: await createCsr({ subject: { commonName: "Keystore Test CA" }, isCA: true }, caKey),
    isCA: true,
    duration: 24 * 3600 * 1000,
    notBefore,
    serialNumber: "01",
    signer: { kind: "selfSigned", privateKey: caKey },
  });
  const leafKey = await generatePrivateKey(leafKeySpec);
  const leaf = await signCertificate({
    csrPem: await createCsr({ subject: { commonName: "app.example" }, dnsNames: ["app.example"] }, leafKey),
    duration: 3600 * 1000,
    notBefore,
    serialNumber: "7f01",
    signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
  });
  return { caPem: ca.pem, caDer: ca.der, leafPem: leaf.pem, leafDer: leaf.der, leafKey };
}
