import type { KeyObject } from "node:crypto";
import { ValidationError } from "@certplane/domain";
import { requestAnnotations } from "@certplane/domain/model";
import { type RandomSource, signCertificate } from "@certplane/pki";
import type { SecretReader } from "../secret-reader.ts";
import type { IssuerView, Readiness, SecretRef, Signer, SignOutcome, SignRequest } from "../signer.ts";
import { describeIssues, rejection, signingInput } from "../signing/signing.ts";

const keyAnnotation = requestAnnotations.privateKeySecretName;

type KeyLookup =
  | { readonly ok: true; readonly privateKey: KeyObject }
  | { readonly ok: false; readonly outcome: SignOutcome };

/**
 * cert-manager's selfSigned issuer: always ready; signs each request with the request's own key,
 * found in the secret its private-key-secret-name annotation names (the Certificate's next key).
 */
export class SelfSignedSigner implements Signer {
  readonly #secrets: SecretReader;
  readonly #random: RandomSource;

  constructor(options: { secrets: SecretReader; random: RandomSource }) {
    this.#secrets = options.secrets;
    this.#random = options.random;
  }

  secretsOf(): readonly SecretRef[] {
    return [];
  }

  async checkReadiness(): Promise<Readiness> {
    return { status: "True", reason: "IsReady", message: "" };
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    const secretName = request.annotations[keyAnnotation];
    if (!secretName) {
      return {
        kind: "failed",
        reason: "MissingAnnotation",
        message: `Annotation "${keyAnnotation}" missing or reference empty: secret name missing`,
      };
    }
    const ref = { namespace: request.namespace, name: secretName };
    const key = await this.#privateKey(ref);
    if (!key.ok) return key.outcome;
    try {
      const signed = await signCertificate(
        signingInput(
          request,
          { kind: "selfSigned", privateKey: key.privateKey },
          this.#random,
          extensionsOf(request.issuer),
        ),
      );
      return { kind: "issued", certificate: signed.pem, ca: signed.pem };
    } catch (error) {
      return rejection(error, { reason: "ErrorKeyMatch", message: "Error generating certificate template" });
    }
  }

  async #privateKey(ref: SecretRef): Promise<KeyLookup> {
    const content = await this.#secrets.read(ref);
    if (!content) {
      const message = `Referenced secret ${ref.namespace}/${ref.name} not found: secret "${ref.name}" not found`;
      return { ok: false, outcome: { kind: "pending", reason: "MissingSecret", message } };
    }
    try {
      return { ok: true, privateKey: this.#secrets.privateKey(ref, content) };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const message = `Failed to get key "${ref.name}" referenced in annotation "${keyAnnotation}": ${describeIssues(error)}`;
      return { ok: false, outcome: { kind: "pending", reason: "ErrorParsingKey", message } };
    }
  }
}

function extensionsOf(issuer: IssuerView) {
  const crlDistributionPoints = issuer.spec.selfSigned?.crlDistributionPoints;
  return crlDistributionPoints ? { crlDistributionPoints } : {};
}
