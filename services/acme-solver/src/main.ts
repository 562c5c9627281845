import { parseHostConfig, runServiceProcess } from "@certplane/runtime";
import { startAcmeSolverService } from "./index.ts";

const host = parseHostConfig(process.env, { store: "jetstream", bus: "nats" });

await runServiceProcess("acme-solver", host, ({ logger }) => startAcmeSolverService({ logger }));
