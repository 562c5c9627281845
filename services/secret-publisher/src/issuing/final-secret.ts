import type { KeyObject } from "node:crypto";
import type { EffectiveCertificateSpec } from "@certplane/domain";
import type { ActiveCertificate, SecretCommand, SecretContent, SecretState } from "@certplane/domain/model";
import { jsonEqual, sameOwner, secretAnnotations } from "@certplane/domain/model";
import type { CertificateView } from "@certplane/pki";
import { encodePrivateKeyPem, keyIdentifier } from "@certplane/pki";
import { openSealedData, sealValue, TLS_KEY } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { certificateOwner } from "../secrets/secret-owners.ts";
import type { SecretRef } from "../secrets/secret-target.ts";
import { certificateSecretAnnotations, FAO_LABEL } from "./secret-annotations.ts";

export interface IssuedMaterial {
  /** Leaf followed by the chain, as the issuer returned it. */
  readonly chainPem: string;
  readonly caPem: string | undefined;
  readonly leaf: CertificateView;
  readonly key: KeyObject;
}

/** The secret cert-manager writes for an issued certificate (reference §6), key sealed for this secret. */
export function finalSecretContent(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  effective: EffectiveCertificateSpec,
  ref: SecretRef,
  issued: IssuedMaterial,
): { readonly content: SecretContent; readonly keyPem: string } {
  const template = certificate.spec.secretTemplate;
  const keyPem = encodePrivateKeyPem(issued.key, effective.privateKey.encoding);
  return {
    keyPem,
    content: {
      type: "kubernetes.io/tls",
      data: { "tls.crt": issued.chainPem, ...(issued.caPem ? { "ca.crt": issued.caPem } : {}) },
      sealedData: { [TLS_KEY]: sealValue(ctx, ref, TLS_KEY, keyPem) },
      labels: { ...template?.labels, [FAO_LABEL]: "true" },
      // cert-manager's own annotations win over the template's.
      annotations: {
        ...template?.annotations,
        ...certificateSecretAnnotations(certificate.meta.name, effective.issuerRef, issued.leaf),
        // Lets the renewal scheduler check that tls.key and tls.crt belong together without
        // opening the sealed key.
        [secretAnnotations.privateKeyId]: Buffer.from(keyIdentifier(issued.key)).toString("hex"),
      },
    },
  };
}

/**
 * The write of the final secret, or undefined when the secret already holds exactly this (sealing
 * is randomised, so equal content is judged on the opened values: a redelivery writes nothing).
 */
export function writeFinalSecret(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  ref: SecretRef,
  wanted: { readonly content: SecretContent; readonly keyPem: string },
  state: SecretState,
  now: Date,
): SecretCommand | undefined {
  const owner = certificateOwner(certificate.meta);
  if (state.status === "present" && sameOwner(state.owner, owner)) {
    const { sealedData: _current, ...currentPublic } = state.content;
    const { sealedData: _wanted, ...wantedPublic } = wanted.content;
    const opened = openSealedData(ctx.kek, ref, state.content);
    if (jsonEqual(currentPublic, wantedPublic) && jsonEqual(opened, { [TLS_KEY]: wanted.keyPem }))
      return undefined;
  }
  return { type: "WriteSecret", ...ref, owner, content: wanted.content, now: now.toISOString() };
}
