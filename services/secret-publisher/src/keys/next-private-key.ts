import type { KeyObject } from "node:crypto";
import type { EffectiveCertificateSpec } from "@certplane/domain";
import type { ActiveCertificate, SecretCommand, SecretState } from "@certplane/domain/model";
import { nextPrivateKeySecretName, sameOwner, secretDecider, streams } from "@certplane/domain/model";
import { encodePrivateKeyPem, generatePrivateKey, keyMatchesSpec } from "@certplane/pki";
import type { CommandContext } from "@certplane/runtime";
import { FAO_LABEL } from "../issuing/secret-annotations.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { nextKeyOwner, REQUEST_NAME_ANNOTATION } from "../secrets/secret-owners.ts";
import type { SecretRef } from "../secrets/secret-target.ts";
import { openPrivateKey, sealValue, TLS_KEY } from "./sealed-key.ts";

export function nextKeyRef(certificate: ActiveCertificate): SecretRef {
  return {
    namespace: certificate.meta.namespace ?? "",
    name: nextPrivateKeySecretName(certificate.meta.name),
  };
}

/** The key in the next-key secret when it was made for `requestName` by this certificate. */
export function nextKeyFor(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  state: SecretState,
  requestName: string,
): KeyObject | undefined {
  if (state.status !== "present" || !sameOwner(state.owner, nextKeyOwner(certificate.meta))) return undefined;
  if (state.content.annotations?.[REQUEST_NAME_ANNOTATION] !== requestName) return undefined;
  return openPrivateKey(ctx.kek, nextKeyRef(certificate), state.content);
}

/**
 * cert-manager's key manager: the private key issuance `requestName` will use, kept sealed in the
 * next-key secret. A retry finds the key it made before; `rotationPolicy: Never` keeps the key of
 * the current secret while it still fits the spec; otherwise a new key. Throws ForbiddenError
 * when the next-key secret's name belongs to someone else.
 */
export async function ensureNextPrivateKey(
  ctx: PublisherContext,
  input: {
    readonly certificate: ActiveCertificate;
    readonly effective: EffectiveCertificateSpec;
    readonly requestName: string;
    readonly currentSecret: { readonly ref: SecretRef; readonly state: SecretState };
  },
  context: CommandContext,
): Promise<KeyObject> {
  const { certificate, effective, requestName, currentSecret } = input;
  const ref = nextKeyRef(certificate);
  const stream = streams.secret(ref.namespace, ref.name);
  const existing = nextKeyFor(
    ctx,
    certificate,
    (await ctx.runner.load(stream, secretDecider)).state,
    requestName,
  );
  if (existing) return existing;

  const keySpec = { algorithm: effective.privateKey.algorithm, size: effective.privateKey.size };
  const current =
    effective.privateKey.rotationPolicy === "Never" && currentSecret.state.status === "present"
      ? openPrivateKey(ctx.kek, currentSecret.ref, currentSecret.state.content)
      : undefined;
  const key = current && keyMatchesSpec(current, keySpec) ? current : await generatePrivateKey(keySpec);

  // The next key is always PKCS#8, as cert-manager stores it; the final secret uses spec.privateKey.encoding.
  const sealed = sealValue(ctx, ref, TLS_KEY, encodePrivateKeyPem(key, "PKCS8"));
  await ctx.runner.execute(
    stream,
    secretDecider,
    (_state, now): SecretCommand => ({
      type: "WriteSecret",
      ...ref,
      owner: nextKeyOwner(certificate.meta),
      content: {
        type: "Opaque",
        data: {},
        sealedData: { [TLS_KEY]: sealed },
        labels: { "cert-manager.io/next-private-key": "true", [FAO_LABEL]: "true" },
        annotations: {
          "cert-manager.io/certificate-name": certificate.meta.name,
          [REQUEST_NAME_ANNOTATION]: requestName,
        },
      },
      now: now.toISOString(),
    }),
    context,
  );
  return key;
}

/** Deletes the next-key secret once issuance `requestName` is over, unless a newer issuance owns it now. */
export async function removeNextPrivateKey(
  ctx: PublisherContext,
  certificate: ActiveCertificate,
  requestName: string,
  context: CommandContext,
): Promise<void> {
  const ref = nextKeyRef(certificate);
  await ctx.runner.execute(
    streams.secret(ref.namespace, ref.name),
    secretDecider,
    (state, now): SecretCommand | undefined =>
      state.status === "present" && state.content.annotations?.[REQUEST_NAME_ANNOTATION] === requestName
        ? {
            type: "DeleteSecret",
            reason: `issuance ${requestName} is complete`,
            expectedOwner: nextKeyOwner(certificate.meta),
            now: now.toISOString(),
          }
        : undefined,
    context,
  );
}
