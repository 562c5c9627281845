import { parseStreamName, secretDecider } from "@certplane/domain/model";
import { openSealedData } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";

/**
 * Targets: mirror the secret's current state (not an event's), so a redelivered or old event
 * never puts back something newer events replaced. Next keys stay inside certplane. Issuing calls
 * this too, before the Certificate turns Ready, so Ready means the files are there.
 */
export async function mirrorSecret(ctx: PublisherContext, secretStream: string): Promise<void> {
  const { namespace = "", name } = parseStreamName(secretStream);
  const ref = { namespace, name };
  const { state } = await ctx.runner.load(secretStream, secretDecider);
  if (state.status === "present" && state.owner.kind === "NextPrivateKey") return;
  for (const target of ctx.targets) {
    if (state.status === "absent") {
      await target.delete(ref);
      continue;
    }
    const { content, owner } = state;
    await target.write({
      ...ref,
      type: content.type,
      data: content.data,
      secretData: openSealedData(ctx.kek, ref, content),
      labels: content.labels ?? {},
      annotations: content.annotations ?? {},
      owner,
    });
  }
}
