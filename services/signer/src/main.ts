// signer as its own process: reacts to issuer, secret and certificate request events in JetStream.
import { parseHostConfig, runServiceProcess } from "@certplane/runtime";
import { parseSignerConfig } from "./config.ts";
import { startSignerService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseSignerConfig(process.env);

await runServiceProcess("signer", host, ({ store, bus, clock, newId, kek, logger }) =>
  startSignerService({ store, bus, clock, newId, kek, logger, config }),
);
