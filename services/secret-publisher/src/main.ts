// secret-publisher as its own process: keys, requests, secrets and their targets.
import { runObservedServiceProcess } from "@certplane/observability";
import { parseHostConfig } from "@certplane/runtime";
import { parseSecretPublisherConfig } from "./config.ts";
import { startSecretPublisherService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseSecretPublisherConfig(process.env);

await runObservedServiceProcess(
  "secret-publisher",
  host,
  config.metricsAddress,
  (infrastructure, observability) => {
    observability.countPublicationFailures();
    return startSecretPublisherService({ ...infrastructure, config });
  },
);
