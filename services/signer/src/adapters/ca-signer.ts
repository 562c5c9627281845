import type { KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { parseCertificateChain, publicKeysMatch, type RandomSource, signCertificate } from "@certplane/pki";
import type { SecretReader } from "../secret-reader.ts";
import type { IssuerView, Readiness, SecretRef, Signer, SignOutcome, SignRequest } from "../signer.ts";
import { describeIssues, rejection, signingInput } from "../signing/signing.ts";

interface CaKeyPair {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  /** tls.crt as stored: the CA certificate, then its own chain. */
  readonly chainPem: string;
  readonly caPem: string;
}

type KeyPairReading =
  | { readonly ok: true; readonly keyPair: CaKeyPair }
  | {
      readonly ok: false;
      readonly problem: "missing" | "unreadable" | "notASigningCA";
      readonly detail: string;
    };

const getKeyPairMessage = "Error getting keypair for CA issuer";

/**
 * cert-manager's CA issuer: ready when its secret holds a CA certificate and the matching key;
 * signs with that key pair, adding the issuer's CRL, OCSP and CA-issuer URLs.
 */
export class CaSigner implements Signer {
  readonly #secrets: SecretReader;
  readonly #random: RandomSource;

  constructor(options: { secrets: SecretReader; random: RandomSource }) {
    this.#secrets = options.secrets;
    this.#random = options.random;
  }

  secretsOf(issuer: IssuerView): readonly SecretRef[] {
    return [caSecretOf(issuer)];
  }

  async checkReadiness(issuer: IssuerView): Promise<Readiness> {
    const reading = await this.#readKeyPair(caSecretOf(issuer));
    if (reading.ok) return { status: "True", reason: "KeyPairVerified", message: "Signing CA verified" };
    return {
      status: "False",
      reason: reading.problem === "notASigningCA" ? "ErrInvalidKeyPair" : "ErrGetKeyPair",
      message: `${getKeyPairMessage}: ${reading.detail}`,
    };
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    const ref = caSecretOf(request.issuer);
    const reading = await this.#readKeyPair(ref);
    if (!reading.ok) return pendingOn(reading, ref);
    const { keyPair } = reading;
    const ca = request.issuer.spec.ca;
    try {
      const signed = await signCertificate(
        signingInput(
          request,
          { kind: "ca", privateKey: keyPair.privateKey, certificatePem: keyPair.certificatePem },
          this.#random,
          {
            ...(ca?.crlDistributionPoints ? { crlDistributionPoints: ca.crlDistributionPoints } : {}),
            ...(ca?.ocspServers ? { ocspServers: ca.ocspServers } : {}),
            ...(ca?.issuingCertificateURLs ? { issuingCertificateUrls: ca.issuingCertificateURLs } : {}),
            capNotAfterToIssuer: true,
          },
        ),
      );
      return { kind: "issued", certificate: signed.pem + keyPair.chainPem, ca: keyPair.caPem };
    } catch (error) {
      return rejection(error, { reason: "SigningError", message: "Error signing certificate" });
    }
  }

  async #readKeyPair(ref: SecretRef): Promise<KeyPairReading> {
    const content = await this.#secrets.read(ref);
    if (!content) return { ok: false, problem: "missing", detail: `secret "${ref.name}" not found` };
    const tlsCrt = content.data["tls.crt"];
    if (!tlsCrt) {
      return {
        ok: false,
        problem: "unreadable",
        detail: `no data for "tls.crt" in secret '${ref.namespace}/${ref.name}'`,
      };
    }
    let privateKey: KeyObject;
    let chain: ReturnType<typeof parseCertificateChain>;
    try {
      chain = parseCertificateChain(tlsCrt, "tls.crt");
      privateKey = this.#secrets.privateKey(ref, content);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { ok: false, problem: "unreadable", detail: describeIssues(error) };
    }
    const certificate = chain[0];
    if (!certificate) return { ok: false, problem: "unreadable", detail: "no certificate found in tls.crt" };
    if (!certificate.isCA) return { ok: false, problem: "notASigningCA", detail: "certificate is not a CA" };
    if (!publicKeysMatch(privateKey, certificate.publicKey)) {
      return { ok: false, problem: "notASigningCA", detail: "private key does not match the CA certificate" };
    }
    const chainPem = chain.map((c) => c.pem).join("");
    // cert-manager reports the root of the CA's chain; an explicit ca.crt in the secret wins.
    const caPem = content.data["ca.crt"] || chain[chain.length - 1]!.pem;
    return { ok: true, keyPair: { privateKey, certificatePem: certificate.pem, chainPem, caPem } };
  }
}

// Intake requires spec.ca.secretName, so this signer only ever sees issuers that have one.
function caSecretOf(issuer: IssuerView): SecretRef {
  return { namespace: issuer.resourceNamespace, name: issuer.spec.ca?.secretName ?? "" };
}

function pendingOn(reading: Extract<KeyPairReading, { ok: false }>, ref: SecretRef): SignOutcome {
  if (reading.problem === "missing") {
    return {
      kind: "pending",
      reason: "SecretMissing",
      message: `Referenced secret ${ref.namespace}/${ref.name} not found: ${reading.detail}`,
    };
  }
  return {
    kind: "pending",
    reason: "SecretInvalidData",
    message: `Failed to parse signing CA keypair from secret ${ref.namespace}/${ref.name}: ${reading.detail}`,
  };
}
