import { ValidationError } from "@certplane/domain";
import { NatsCommandBus } from "@certplane/messaging";
import { createBusApiClient } from "./bus-api.ts";
import { createGrpcApiClient } from "./grpc-client.ts";
import type { CertplaneApi } from "./operations.ts";

export type ServerTarget =
  | { readonly transport: "grpc"; readonly address: string }
  | { readonly transport: "nats"; readonly url: string };

/** Reads `grpc://host:port` or `nats://host:port`; `field` names the setting in the error. */
export function parseServerUrl(url: string, field = "server"): ServerTarget {
  const match = /^(grpc|nats):\/\/([^/\s:]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})\/?$/.exec(url);
  if (match === null) {
    throw ValidationError.of(
      field,
      "serverUrl",
      `must be grpc://HOST:PORT or nats://HOST:PORT, got "${url}"`,
    );
  }
  const [, scheme, host, port] = match;
  return scheme === "grpc"
    ? { transport: "grpc", address: `${host}:${port}` }
    : { transport: "nats", url: `nats://${host}:${port}` };
}

export interface ConnectedApi {
  readonly api: CertplaneApi;
  readonly target: ServerTarget;
  close(): Promise<void>;
}

export interface ConnectApiOptions {
  readonly timeoutMs?: number;
  /** Shown in the NATS server's connection list. */
  readonly clientName?: string;
}

/** A client for whichever transport the target names. */
export async function connectApi(
  target: ServerTarget,
  options: ConnectApiOptions = {},
): Promise<ConnectedApi> {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (target.transport === "grpc") {
    const client = createGrpcApiClient(target.address, timeout);
    return { api: client, target, close: async () => client.close() };
  }
  const bus = await NatsCommandBus.connect({
    servers: target.url,
    name: options.clientName ?? "certplane-api-client",
    // A client registers no handlers, so there is nothing for this listener to hear.
    onHandlerError: () => {},
  });
  return { api: createBusApiClient(bus, timeout), target, close: () => bus.close() };
}
