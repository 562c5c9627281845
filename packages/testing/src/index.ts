export type { Bind9Handle, Bind9Options, Bind9QueryType, Bind9TsigAlgorithm } from "./bind9.ts";
export { startBind9 } from "./bind9.ts";
export { FakeClock } from "./fake-clock.ts";
export type { DeciderThen, DeciderWhen } from "./given-when-then.ts";
export { given } from "./given-when-then.ts";
export type { NatsServerHandle } from "./nats-server.ts";
export { freePort, startNatsServer } from "./nats-server.ts";
export type { ChallTestSrv, PebbleHandle, PebbleOptions } from "./pebble.ts";
export { startPebble } from "./pebble.ts";
