import { commandBusContract } from "./contract/index.ts";
import { InProcessBroker } from "./in-process-broker.ts";
import { InProcessCommandBus } from "./in-process-command-bus.ts";

const broker = new InProcessBroker();
commandBusContract("in-process", async (options) => new InProcessCommandBus(broker, options));
