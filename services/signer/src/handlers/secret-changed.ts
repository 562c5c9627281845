import type { RecordedEvent } from "@certplane/domain";
import { parseStreamName } from "@certplane/domain/model";
import { refreshIssuerReadiness } from "../readiness/issuer-readiness.ts";
import type { SignerContext } from "../signer-context.ts";

/** A secret written or deleted: re-check every issuer that reads it (a CA issuer's key pair). */
export async function onSecretChanged(ctx: SignerContext, event: RecordedEvent): Promise<void> {
  const { namespace, name } = parseStreamName(event.stream);
  if (namespace === undefined) return;
  for (const issuerStream of ctx.issuersBySecret.issuersUsing({ namespace, name })) {
    await refreshIssuerReadiness(ctx, issuerStream, event);
  }
}
