// runServiceProcess with the metrics listener around the service: what each service's main.ts runs.
import { systemClock } from "@certplane/domain";
import type { HostConfig, Infrastructure } from "@certplane/runtime";
import { runServiceProcess } from "@certplane/runtime";
import { ProcessObservability } from "./process-observability.ts";

/**
 * Runs one service as its own process (see runServiceProcess), serving /metrics, /livez and /readyz
 * on `metricsAddress` when it is set. The listener starts first, so /readyz answers "still starting"
 * while the service catches up; `start` gets the observed store in `infrastructure`, and
 * `observability` to add what only it knows (Certificates, ACME requests, publication failures).
 */
export async function runObservedServiceProcess(
  service: string,
  host: HostConfig,
  metricsAddress: string | undefined,
  start: (
    infrastructure: Infrastructure,
    observability: ProcessObservability,
  ) => Promise<{ stop(): Promise<void> }>,
): Promise<void> {
  // The process's clock: runServiceProcess builds its infrastructure on the system clock too.
  const observability = new ProcessObservability({ address: metricsAddress, clock: systemClock });
  await runServiceProcess(
    service,
    host,
    async (infrastructure) => {
      const attached = await observability.attach(infrastructure.store, (error) =>
        infrastructure.logger.error("the metrics listener could not answer a request", { error }),
      );
      let running: { stop(): Promise<void> };
      try {
        running = await start({ ...infrastructure, store: attached.store }, observability);
      } catch (error) {
        await attached.stop();
        throw error;
      }
      attached.started();
      return {
        async stop() {
          await running.stop();
          await attached.stop();
        },
      };
    },
    { onBusStatus: observability.onBusStatus },
  );
}
