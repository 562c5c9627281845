import type { RecordedEvent } from "@certplane/domain";
import { processRequest } from "../sign-request.ts";
import type { SignerContext } from "../signer-context.ts";

/** Created or approved: a request that may now be signable. */
export async function onCertificateRequestChanged(ctx: SignerContext, event: RecordedEvent): Promise<void> {
  await processRequest(ctx, event.stream, event);
}
