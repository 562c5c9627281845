// acme-solver as its own process: ACME accounts, orders and challenges, the HTTP-01 responder.
import { runObservedServiceProcess } from "@certplane/observability";
import { parseHostConfig } from "@certplane/runtime";
import { parseAcmeSolverConfig } from "./config.ts";
import { createAcmeHttpClient, startAcmeSolverService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseAcmeSolverConfig(process.env);

await runObservedServiceProcess(
  "acme-solver",
  host,
  config.metricsAddress,
  (infrastructure, observability) => {
    const acmeRequests = observability.acmeRequestObserver();
    return startAcmeSolverService({
      ...infrastructure,
      config,
      acmeClientFactory: (options) => createAcmeHttpClient(options, infrastructure.clock, acmeRequests),
    });
  },
);
