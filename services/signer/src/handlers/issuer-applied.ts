import type { RecordedEvent } from "@certplane/domain";
import { refreshIssuerReadiness } from "../readiness/issuer-readiness.ts";
import type { SignerContext } from "../signer-context.ts";

/** A new or changed issuer spec: check it for its new generation. */
export async function onIssuerApplied(ctx: SignerContext, event: RecordedEvent): Promise<void> {
  await refreshIssuerReadiness(ctx, event.stream, event);
}
