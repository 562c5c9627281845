export type { Endpoint } from "./endpoint.ts";
export { call, defineEndpoint, serve } from "./endpoint.ts";
export { InProcessBroker } from "./in-process-broker.ts";
export type { InProcessCommandBusOptions } from "./in-process-command-bus.ts";
export { InProcessCommandBus } from "./in-process-command-bus.ts";
export type { NatsCommandBusOptions, NatsConnectOptions } from "./nats-command-bus.ts";
export { NatsCommandBus } from "./nats-command-bus.ts";
export type { NatsConnectionSettings } from "./nats-connection.ts";
export { connectNats, permissionDenied } from "./nats-connection.ts";
export type {
  CommandBus,
  HandleOptions,
  HandlerErrorListener,
  InboundRequest,
  MessageHeaders,
  Registration,
  RequestOptions,
} from "./port.ts";
export { DEFAULT_REQUEST_TIMEOUT_MS } from "./port.ts";
export type { ReconnectBackoff } from "./reconnect-backoff.ts";
export { DEFAULT_RECONNECT_BACKOFF } from "./reconnect-backoff.ts";
export { subjectMatches } from "./subject.ts";
