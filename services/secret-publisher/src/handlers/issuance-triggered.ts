import type { RecordedEvent } from "@certplane/domain";
import { applyCertificateDefaults, ForbiddenError } from "@certplane/domain";
import type { CertificateEvent, CertificateRequestCommand } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  nextPrivateKeySecretName,
  parseStreamName,
  requestAnnotations,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { createCsr } from "@certplane/pki";
import { contextFromEvent } from "@certplane/runtime";
import { recordIssuanceFailed } from "../issuing/record-failure.ts";
import { ensureNextPrivateKey } from "../keys/next-private-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { csrTemplateFor } from "../requests/csr-template.ts";
import { certificateOwner, ownershipConflict } from "../secrets/secret-owners.ts";

type IssuanceTriggered = Extract<CertificateEvent, { type: "IssuanceTriggered" }>["data"];

/**
 * Key manager + request manager: for the issuance the certificate is running, make sure its next
 * private key exists and create the CertificateRequest carrying a CSR for it.
 */
export async function handleIssuanceTriggered(ctx: PublisherContext, event: RecordedEvent): Promise<void> {
  const { requestName, revision } = event.data as IssuanceTriggered;
  const { state: certificate } = await ctx.runner.load(event.stream, certificateDecider);
  if (
    certificate.status !== "active" ||
    certificate.phase.kind !== "issuing" ||
    certificate.phase.attempt.requestName !== requestName
  ) {
    return;
  }

  const context = contextFromEvent(event, ctx.actor);
  const namespace = parseStreamName(event.stream).namespace ?? "";
  const spec = certificate.spec;
  const effective = applyCertificateDefaults(spec);
  const secretRef = { namespace, name: spec.secretName };
  const { state: secret } = await ctx.runner.load(streams.secret(namespace, spec.secretName), secretDecider);
  const fail = (message: string) =>
    recordIssuanceFailed(ctx, event.stream, { requestName, reason: "SecretConflict", message }, context);

  const conflict = ownershipConflict(secret, secretRef, certificateOwner(certificate.meta));
  if (conflict) return await fail(conflict);

  const requestStream = streams.certificateRequest(namespace, requestName);
  if ((await ctx.runner.load(requestStream, certificateRequestDecider)).state.status !== "absent") return;

  let key: Awaited<ReturnType<typeof ensureNextPrivateKey>>;
  try {
    key = await ensureNextPrivateKey(
      ctx,
      { certificate, effective, requestName, currentSecret: { ref: secretRef, state: secret } },
      context,
    );
  } catch (error) {
    if (error instanceof ForbiddenError) return await fail(error.message);
    throw error;
  }
  const csr = await createCsr(csrTemplateFor(spec, effective), key);

  const now = ctx.runner.clock.now().toISOString();
  const command: CertificateRequestCommand = {
    type: "CreateCertificateRequest",
    meta: {
      name: requestName,
      namespace,
      uid: ctx.newId(),
      generation: 1,
      creationTimestamp: now,
      ...(certificate.meta.labels ? { labels: certificate.meta.labels } : {}),
      annotations: {
        [requestAnnotations.certificateName]: certificate.meta.name,
        [requestAnnotations.certificateRevision]: String(revision),
        [requestAnnotations.privateKeySecretName]: nextPrivateKeySecretName(certificate.meta.name),
      },
    },
    spec: {
      request: csr,
      issuerRef: spec.issuerRef,
      duration: effective.duration,
      isCA: effective.isCA,
      usages: [...effective.usages],
    },
    ifAbsent: true,
    now,
  };
  await ctx.commands.send(requestStream, command, context);
}
