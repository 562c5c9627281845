import type { KeyObject } from "node:crypto";
import type { EffectiveCertificateSpec } from "@certplane/domain";
import type { ActiveCertificate, SecretCommand, SecretContent, SecretState } from "@certplane/domain/model";
import { jsonEqual, sameOwner, secretAnnotations } from "@certplane/domain/model";
import type { CertificateView } from "@certplane/pki";
import { encodePrivateKeyPem, keyIdentifier } from "@certplane/pki";
import { openSecretValues, sealValues, TLS_KEY } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import type { KeystorePasswords } from "../secrets/keystore-passwords.ts";
import { certificateOwner } from "../secrets/secret-owners.ts";
import type { SecretRef } from "../secrets/secret-target.ts";
import type { SecretValue } from "../secrets/secret-values.ts";
import { sameValues } from "../secrets/secret-values.ts";
import { certificateSecretAnnotations, FAO_LABEL } from "./secret-annotations.ts";
import type { OutputMaterial } from "./secret-outputs.ts";
import { secretOutputs } from "./secret-outputs.ts";

export interface IssuedMaterial {
  /** Leaf followed by the chain, as the issuer returned it. */
  readonly chainPem: string;
  readonly caPem: string | undefined;
  readonly leaf: CertificateView;
  readonly key: KeyObject;
}

/** A secret to write: its content (private values sealed) and those private values opened, to compare. */
export interface WantedSecret {
  readonly content: SecretContent;
  readonly opened: Readonly<Record<string, SecretValue>>;
}

/** The secret cert-manager writes for an issued certificate (reference §6), private values sealed for this secret. */
export function finalSecretContent(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  effective: EffectiveCertificateSpec,
  ref: SecretRef,
  issued: IssuedMaterial,
  passwords: KeystorePasswords,
): WantedSecret {
  const template = certificate.spec.secretTemplate;
  const keyPem = encodePrivateKeyPem(issued.key, effective.privateKey.encoding);
  const opened = privateValues(
    certificate.spec,
    {
      keyPem,
      key: issued.key,
      chainPem: issued.chainPem,
      caPem: issued.caPem,
      issuedAt: issued.leaf.notBefore,
    },
    passwords,
  );
  return {
    opened,
    content: {
      type: "kubernetes.io/tls",
      data: { "tls.crt": issued.chainPem, ...(issued.caPem ? { "ca.crt": issued.caPem } : {}) },
      sealedData: sealValues(ctx, ref, opened),
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
 * The secret as it is with its keystores and output formats made to match the spec and passwords
 * now (cert-manager's post-issuance repair): tls.* and the metadata stay as they are.
 */
export function withCurrentOutputs(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  ref: SecretRef,
  current: SecretContent,
  material: OutputMaterial,
  passwords: KeystorePasswords,
): WantedSecret {
  const opened = privateValues(certificate.spec, material, passwords);
  return { opened, content: { ...current, sealedData: sealValues(ctx, ref, opened) } };
}

function privateValues(
  spec: ActiveCertificate["spec"],
  material: OutputMaterial,
  passwords: KeystorePasswords,
): Record<string, SecretValue> {
  return { [TLS_KEY]: material.keyPem, ...secretOutputs(spec, material, passwords) };
}

/**
 * The write of the final secret, or undefined when the secret already holds exactly this (sealing
 * is randomised, so equal content is judged on the opened values: a redelivery writes nothing).
 */
export function writeFinalSecret(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  ref: SecretRef,
  wanted: WantedSecret,
  state: SecretState,
  now: Date,
): SecretCommand | undefined {
  const owner = certificateOwner(certificate.meta);
  if (state.status === "present" && sameOwner(state.owner, owner)) {
    const { sealedData: _current, ...currentPublic } = state.content;
    const { sealedData: _wanted, ...wantedPublic } = wanted.content;
    const opened = openSecretValues(ctx.kek, ref, state.content);
    if (jsonEqual(currentPublic, wantedPublic) && sameValues(opened, wanted.opened)) return undefined;
  }
  return { type: "WriteSecret", ...ref, owner, content: wanted.content, now: now.toISOString() };
}
