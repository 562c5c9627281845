export { FakeClock } from "./fake-clock.ts";
export type { DeciderThen, DeciderWhen } from "./given-when-then.ts";
export { given } from "./given-when-then.ts";
export type { NatsServerHandle } from "./nats-server.ts";
export { freePort, startNatsServer } from "./nats-server.ts";
