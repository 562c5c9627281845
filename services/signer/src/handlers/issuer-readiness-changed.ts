import type { RecordedEvent } from "@certplane/domain";
import { primaryStreamOf } from "@certplane/domain/model";
import type { SignerContext } from "../signer-context.ts";
import { processRequest } from "../signing/sign-request.ts";

/**
 * An issuer's readiness changed: the approved requests waiting on it are signed if it is Ready now,
 * and otherwise say why they still wait (as cert-manager re-queues requests on issuer changes).
 * Every instance hears it and takes up the requests of its own partitions only.
 */
export async function onIssuerReadinessChanged(ctx: SignerContext, event: RecordedEvent): Promise<void> {
  for (const requestStream of ctx.openRequests.waitingOn(primaryStreamOf(event.stream))) {
    if (ctx.owns(requestStream)) await processRequest(ctx, requestStream, event);
  }
}
