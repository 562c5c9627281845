import type { RecordedEvent } from "@certplane/domain";
import type { SecretCommand } from "@certplane/domain/model";
import {
  certificateDecider,
  nextPrivateKeySecretName,
  parseStreamName,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { contextFromEvent } from "@certplane/runtime";
import type { PublisherContext } from "../publisher-context.ts";
import { certificateOwner, nextKeyOwner } from "../secrets/secret-owners.ts";

/**
 * A deleted Certificate takes its secret and next key with it. expectedOwner makes this delete
 * only what the Certificate created: an imported secret of the same name stays.
 */
export async function handleCertificateDeleted(ctx: PublisherContext, event: RecordedEvent): Promise<void> {
  const { state: certificate } = await ctx.runner.load(event.stream, certificateDecider);
  if (certificate.status !== "deleted") return;
  const namespace = parseStreamName(event.stream).namespace ?? "";
  const context = contextFromEvent(event, ctx.actor);
  const owned = [
    { name: certificate.spec.secretName, owner: certificateOwner(certificate.meta) },
    { name: nextPrivateKeySecretName(certificate.meta.name), owner: nextKeyOwner(certificate.meta) },
  ];
  for (const { name, owner } of owned) {
    await ctx.runner.execute(
      streams.secret(namespace, name),
      secretDecider,
      (_state, now): SecretCommand => ({
        type: "DeleteSecret",
        reason: `Certificate ${certificate.meta.name} was deleted`,
        expectedOwner: owner,
        now: now.toISOString(),
      }),
      context,
    );
  }
}
