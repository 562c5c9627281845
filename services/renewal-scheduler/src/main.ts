// renewal-scheduler as its own process: rebuilds every certificate's renewal time from JetStream and
// asks for reissues when they fall due.
import { runObservedServiceProcess } from "@certplane/observability";
import { parseHostConfig, systemTimerClock } from "@certplane/runtime";
import { parseRenewalSchedulerConfig } from "./config.ts";
import { startRenewalSchedulerService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseRenewalSchedulerConfig(process.env);

await runObservedServiceProcess(
  "renewal-scheduler",
  host,
  config.metricsAddress,
  // Timers need a clock that can also wait: the system's.
  (infrastructure) => startRenewalSchedulerService({ ...infrastructure, clock: systemTimerClock, config }),
);
