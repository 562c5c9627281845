import type { RecordedEvent } from "@certplane/domain";
import { applyCertificateDefaults, ForbiddenError, ValidationError } from "@certplane/domain";
import type { CertificateIssuanceCommand } from "@certplane/domain/model";
import { secretDecider, streams } from "@certplane/domain/model";
import type { CertificateView } from "@certplane/pki";
import { parseCertificate, publicKeysMatch } from "@certplane/pki";
import { contextFromEvent } from "@certplane/runtime";
import type { WantedSecret } from "../issuing/final-secret.ts";
import { finalSecretContent, writeFinalSecret } from "../issuing/final-secret.ts";
import { recordIssuanceFailed } from "../issuing/record-failure.ts";
import { nextKeyFor, nextKeyRef, removeNextPrivateKey } from "../keys/next-private-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { loadRequestOfCertificate } from "../requests/request-certificate.ts";
import { keystorePasswords } from "../secrets/keystore-passwords.ts";
import { mirrorSecret } from "./secret-changed.ts";

/**
 * Issuing: the certificate for the running issuance arrived. Check it against the next key, write
 * the final secret, record the issuance, then drop the next key.
 */
export async function handleCertificateRequestIssued(
  ctx: PublisherContext,
  event: RecordedEvent,
): Promise<void> {
  const found = await loadRequestOfCertificate(ctx, event.stream);
  if (found?.certificate.status !== "active") return;
  const { namespace, requestName, request, certificateStream, certificate } = found;
  const context = contextFromEvent(event, ctx.actor);

  // Recorded before, but the process stopped before the next key was removed.
  const { phase } = certificate;
  if (phase.kind !== "issuing" && certificate.issued?.requestName === requestName) {
    return await removeNextPrivateKey(ctx, certificate, requestName, context);
  }
  if (phase.kind !== "issuing" || phase.attempt.requestName !== requestName) return;
  const fail = (reason: string, message: string) =>
    recordIssuanceFailed(ctx, certificateStream, { requestName, reason, message }, context);

  const keyRef = nextKeyRef(certificate);
  const { state: nextKeySecret } = await ctx.runner.load(
    streams.secret(keyRef.namespace, keyRef.name),
    secretDecider,
  );
  const key = nextKeyFor(ctx, certificate, nextKeySecret, requestName);
  if (!key) {
    return await fail(
      "MissingPrivateKey",
      `next private key secret ${keyRef.namespace}/${keyRef.name} for ${requestName} not found`,
    );
  }
  const chainPem = request.certificate ?? "";
  let leaf: CertificateView;
  try {
    leaf = parseCertificate(chainPem, "status.certificate");
  } catch (error) {
    if (error instanceof ValidationError) {
      return await fail(
        "InvalidCertificate",
        `issuer returned a certificate that cannot be decoded: ${error.message}`,
      );
    }
    throw error;
  }
  if (!publicKeysMatch(leaf.publicKey, key)) {
    return await fail(
      "InvalidCertificate",
      "issuer returned a certificate whose public key does not match the private key",
    );
  }
  if (leaf.notAfter.getTime() <= ctx.runner.clock.now().getTime()) {
    return await fail(
      "InvalidCertificate",
      `issuer returned a certificate that expired at ${leaf.notAfter.toISOString()}`,
    );
  }

  const spec = certificate.spec;
  const secretRef = { namespace, name: spec.secretName };
  let wanted: WantedSecret;
  try {
    const passwords = await keystorePasswords(ctx, { namespace, name: certificate.meta.name }, spec);
    wanted = finalSecretContent(
      ctx,
      certificate,
      applyCertificateDefaults(spec),
      secretRef,
      { chainPem, caPem: request.ca, leaf, key },
      passwords,
    );
  } catch (error) {
    // As cert-manager, no Secret without the keystores it asks for; the scheduler's backoff tries again.
    if (error instanceof ValidationError) return await fail("KeystoreFailed", error.message);
    throw error;
  }
  try {
    await ctx.runner.execute(
      streams.secret(namespace, spec.secretName),
      secretDecider,
      (state, now) => writeFinalSecret(ctx, certificate, secretRef, wanted, state, now),
      context,
    );
  } catch (error) {
    if (error instanceof ForbiddenError) return await fail("SecretConflict", error.message);
    throw error;
  }
  await mirrorSecret(ctx, streams.secret(namespace, spec.secretName));

  const issued: CertificateIssuanceCommand = {
    type: "RecordIssued",
    requestName,
    serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    now: ctx.runner.clock.now().toISOString(),
  };
  await ctx.commands.send(streams.certificateIssuance(namespace, certificate.meta.name), issued, context);
  await removeNextPrivateKey(ctx, certificate, requestName, context);
}
