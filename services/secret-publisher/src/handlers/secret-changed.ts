import type { SecretState } from "@certplane/domain/model";
import { parseStreamName, secretDecider } from "@certplane/domain/model";
import { openSecretValues } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import type { PublishedSecret, SecretRef } from "../secrets/secret-target.ts";

/** A stored secret as targets receive it, sealed values opened in memory only. */
export function publishedSecretOf(
  ctx: Pick<PublisherContext, "kek">,
  ref: SecretRef,
  state: Extract<SecretState, { status: "present" }>,
): PublishedSecret {
  const { content, owner } = state;
  return {
    ...ref,
    type: content.type,
    data: content.data,
    secretData: openSecretValues(ctx.kek, ref, content),
    labels: content.labels ?? {},
    annotations: content.annotations ?? {},
    owner,
  };
}

/**
 * The configured targets (files, Vault KV from the environment): mirror the secret's current state
 * (not an event's), so a redelivered or old event never puts back something newer events replaced.
 * Next keys stay inside certplane. Issuing calls this too, before the Certificate turns Ready, so
 * Ready means the files are there. SecretTarget resources publish on their own (targets/).
 */
export async function mirrorSecret(ctx: PublisherContext, secretStream: string): Promise<void> {
  const { namespace = "", name } = parseStreamName(secretStream);
  const ref = { namespace, name };
  const { state } = await ctx.runner.load(secretStream, secretDecider);
  if (state.status === "present" && state.owner.kind === "NextPrivateKey") return;
  for (const target of ctx.targets) {
    if (state.status === "absent") await target.delete(ref);
    else await target.write(publishedSecretOf(ctx, ref, state));
  }
}
