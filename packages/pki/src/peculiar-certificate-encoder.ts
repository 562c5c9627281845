import type { KeyObject } from "node:crypto";
import type { CertificateEncoder, CertificateToSign } from "./certificate-encoder.ts";
import { extensionsInGoOrder } from "./go-extension-order.ts";
import { toPublicKey } from "./keys.ts";
import { webCryptoSigner } from "./signature-algorithm.ts";
import { Name, X509CertificateGenerator, x509Crypto } from "./x509.ts";
import * as peculiarExtensions from "./x509-extensions.ts";

/** CertificateEncoder backed by @peculiar/x509, signing through node's WebCrypto. */
export const peculiarCertificateEncoder: CertificateEncoder = {
  async encode(c: CertificateToSign, signingKey: KeyObject): Promise<Uint8Array> {
    const signer = await webCryptoSigner(signingKey, c.signatureAlgorithm);
    const spki = toPublicKey(c.template.publicKey).export({ type: "spki", format: "der" });
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: c.template.serialNumber,
        subject: new Name(c.template.subject),
        issuer: new Name(c.issuer),
        notBefore: c.template.notBefore,
        notAfter: c.template.notAfter,
        publicKey: spki,
        signingKey: signer.key,
        signingAlgorithm: signer.algorithm,
        extensions: extensionsInGoOrder(c, peculiarExtensions),
      },
      x509Crypto,
    );
    return new Uint8Array(certificate.rawData);
  },
};
