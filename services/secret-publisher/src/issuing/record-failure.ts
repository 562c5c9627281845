import type { CertificateIssuanceCommand } from "@certplane/domain/model";
import { parseStreamName, streams } from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import type { PublisherContext } from "../publisher-context.ts";

/**
 * Ends the certificate's issuance `requestName` with a failure, through the scheduler that owns
 * the issuance record; a no-op there once it is no longer issuing it.
 */
export async function recordIssuanceFailed(
  ctx: PublisherContext,
  certificateStream: string,
  failure: { readonly requestName: string; readonly reason: string; readonly message: string },
  context: CommandContext,
): Promise<void> {
  ctx.logger.warn("issuance failed", { stream: certificateStream, ...failure });
  const { namespace = "", name } = parseStreamName(certificateStream);
  const command: CertificateIssuanceCommand = {
    type: "RecordIssuanceFailed",
    ...failure,
    now: ctx.runner.clock.now().toISOString(),
  };
  await ctx.commands.send(streams.certificateIssuance(namespace, name), command, context);
}
