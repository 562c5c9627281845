import type { EventStore, Subscription } from "@certplane/event-store";
import type { Logger } from "@certplane/runtime";
import { AggregateRunner, startReactor } from "@certplane/runtime";
import type { RenewalSchedulerConfig } from "./config.ts";
import { handleCertificateIssued } from "./handlers/certificate-issued.ts";
import { RenewalScheduler } from "./renewal-scheduler.ts";
import type { TimerClock } from "./timer-clock.ts";

export { systemTimerClock } from "./adapters/system-timer-clock.ts";
export type { RenewalSchedulerConfig } from "./config.ts";
export { parseRenewalSchedulerConfig } from "./config.ts";
export type { TimerClock } from "./timer-clock.ts";

export interface RenewalSchedulerServiceDependencies {
  readonly store: EventStore;
  readonly clock: TimerClock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly config: RenewalSchedulerConfig;
}

/**
 * Keeps every Certificate's renewal time and reissue triggers (secret-based checks, renewal time,
 * failure backoff), and trims old CertificateRequests to spec.revisionHistoryLimit. Several
 * instances may run on one store: guarded commands make each reissue happen once.
 */
export async function startRenewalSchedulerService(
  deps: RenewalSchedulerServiceDependencies,
): Promise<{ stop(): Promise<void> }> {
  const logger = deps.logger.child({ service: "renewal-scheduler" });
  const scheduler = new RenewalScheduler({ ...deps, logger });
  await scheduler.start();
  const runner = new AggregateRunner({ store: deps.store, clock: deps.clock, newId: deps.newId });
  let revisions: Subscription;
  try {
    revisions = await startReactor(deps.store, {
      name: "renewal-scheduler_revision-manager",
      categories: ["certificate"],
      logger,
      handle: async (event) => {
        if (event.type === "CertificateIssued") await handleCertificateIssued(runner, event);
      },
    });
  } catch (error) {
    await scheduler.stop();
    throw error;
  }
  return {
    async stop() {
      await revisions.stop();
      await scheduler.stop();
    },
  };
}
