import type { CertificateCommand } from "@certplane/domain/model";
import { certificateDecider } from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import type { PublisherContext } from "./publisher-context.ts";

/** Ends the certificate's issuance `requestName` with a failure; a no-op once it is no longer issuing it. */
export async function recordIssuanceFailed(
  ctx: PublisherContext,
  certificateStream: string,
  failure: { readonly requestName: string; readonly reason: string; readonly message: string },
  context: CommandContext,
): Promise<void> {
  ctx.logger.warn("issuance failed", { stream: certificateStream, ...failure });
  await ctx.runner.execute(
    certificateStream,
    certificateDecider,
    (_state, now): CertificateCommand => ({
      type: "RecordIssuanceFailed",
      ...failure,
      now: now.toISOString(),
    }),
    context,
  );
}
