// secret-publisher as its own process: keys, requests, secrets and their targets.
import { parseHostConfig, runServiceProcess } from "@certplane/runtime";
import { parseSecretPublisherConfig } from "./config.ts";
import { startSecretPublisherService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseSecretPublisherConfig(process.env);

await runServiceProcess("secret-publisher", host, ({ store, bus, clock, newId, kek, logger }) =>
  startSecretPublisherService({ store, bus, clock, newId, kek, logger, config }),
);
