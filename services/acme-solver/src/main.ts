// acme-solver as its own process: ACME accounts, orders and challenges, the HTTP-01 responder.
import { parseHostConfig, runServiceProcess } from "@certplane/runtime";
import { parseAcmeSolverConfig } from "./config.ts";
import { startAcmeSolverService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });
const config = parseAcmeSolverConfig(process.env);

await runServiceProcess("acme-solver", host, ({ store, bus, clock, newId, kek, logger }) =>
  startAcmeSolverService({ store, bus, clock, newId, kek, logger, config }),
);
