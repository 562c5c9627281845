export { FakeClock } from "./fake-clock.ts";
export type { NatsServerHandle } from "./nats-server.ts";
export { freePort, startNatsServer } from "./nats-server.ts";
