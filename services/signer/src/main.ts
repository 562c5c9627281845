// signer as its own process: reacts to issuer, secret and certificate request events in JetStream.
import { runObservedServiceProcess } from "@certplane/observability";
import { parseHostConfig } from "@certplane/runtime";
import { parseSignerConfig } from "./config.ts";
import { startSignerService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseSignerConfig(process.env);

await runObservedServiceProcess("signer", host, config.metricsAddress, (infrastructure) =>
  startSignerService({ ...infrastructure, config }),
);
