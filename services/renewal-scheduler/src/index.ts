import type { EventStore, Subscription } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { Logger, TimerClock, WorkShare } from "@certplane/runtime";
import { serveOwnerCommands, serviceHandles, startWorkReactor } from "@certplane/runtime";
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
  /** This process among the service's instances, stamped on every event it appends. */
  readonly instance?: string;
  /** Shares the reactors' work with the service's other instances (CERTPLANE_WORK_PARTITIONS). */
  readonly workShare?: WorkShare;
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
    ...(deps.workShare === undefined ? {} : { share: deps.workShare }),
  });
  const scheduler = new RenewalScheduler({ ...deps, handles, logger });
  let revisions: Subscription | undefined;
  try {
    await scheduler.start();
    revisions = await startWorkReactor(
      deps.store,
      {
        name: "renewal-scheduler_revision-manager",
        categories: ["certificateIssuance"],
        logger,
        handle: async (event) => {
          if (event.type === "CertificateIssued") await handleCertificateIssued(handles, event);
        },
        // Trimming is housekeeping: the next issued revision trims again, so nothing is lost.
        onGiveUp: async (event, error) =>
          logger.error("old certificate requests not trimmed", { stream: event.stream, error }),
      },
      deps.workShare,
    );
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
