import type { RecordedEvent } from "@certplane/domain";
import type { SignerContext } from "../signer-context.ts";
import { processRequest } from "../signing/sign-request.ts";

/** Created or approved: a request that may now be signable. */
export async function onCertificateRequestChanged(ctx: SignerContext, event: RecordedEvent): Promise<void> {
  await processRequest(ctx, event.stream, event);
}
