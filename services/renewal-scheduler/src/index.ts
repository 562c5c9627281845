import type { EventStore, Subscription } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { Logger, TimerClock } from "@certplane/runtime";
import { serveOwnerCommands, serviceHandles, startReactor } from "@certplane/runtime";
import type { RenewalSchedulerConfig } from "./config.ts";
import { handleCertificateIssued } from "./handlers/certificate-issued.ts";
import { RenewalScheduler } from "./renewal-scheduler.ts";
import { withRenewal } from "./trigger/record-issued-renewal.ts";

export type { RenewalSchedulerConfig } from "./config.ts";
export { parseRenewalSchedulerConfig } from "./config.ts";

export interface RenewalSchedulerServiceDependencies {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: TimerClock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly config: RenewalSchedulerConfig;
}

/**
 * Owns every Certificate's issuance record: the one trigger decision (create, spec change,
 * secret checks, renewal time, manual renew), the one renewal time, failure backoff, and each
 * issuance's outcome as the secret-publisher reports it; trims old CertificateRequests to
 * spec.revisionHistoryLimit. Several instances may run on one store: guarded commands make each
 * reissue happen once.
 */
export async function startRenewalSchedulerService(
  deps: RenewalSchedulerServiceDependencies,
): Promise<{ stop(): Promise<void> }> {
  const logger = deps.logger.child({ service: "renewal-scheduler" });
  const handles = serviceHandles({ service: "renewal-scheduler", ...deps });
  const commands: Registration = await serveOwnerCommands({
    bus: deps.bus,
    runner: handles.runner,
    service: "renewal-scheduler",
    prepare: { RecordIssued: withRenewal(deps.config) },
  });
  const scheduler = new RenewalScheduler({ ...deps, handles, logger });
  let revisions: Subscription | undefined;
  try {
    await scheduler.start();
    revisions = await startReactor(deps.store, {
      name: "renewal-scheduler_revision-manager",
      categories: ["certificateIssuance"],
      logger,
      handle: async (event) => {
        if (event.type === "CertificateIssued") await handleCertificateIssued(handles, event);
      },
      // Trimming is housekeeping: the next issued revision trims again, so nothing is lost.
      onGiveUp: async (event, error) =>
        logger.error("old certificate requests not trimmed", { stream: event.stream, error }),
    });
  } catch (error) {
    await scheduler.stop();
    await commands.stop();
    throw error;
  }
  return {
    async stop() {
      await revisions?.stop();
      await scheduler.stop();
      await commands.stop();
    },
  };
}
