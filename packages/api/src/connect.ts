import { ValidationError } from "@certplane/domain";
import { NatsCommandBus, type NatsConnectionSettings } from "@certplane/messaging";
import { createBusApiClient } from "./bus-api.ts";
import { createGrpcApiClient } from "./grpc-client.ts";
import type { CertplaneApi } from "./operations.ts";

export type ServerTarget =
  | { readonly transport: "grpc"; readonly address: string; readonly tls: boolean }
  | { readonly transport: "nats"; readonly url: string };

/** Reads `grpc://host:port`, `grpcs://host:port` (TLS) or `nats://host:port`; `field` names the setting in the error. */
export function parseServerUrl(url: string, field = "server"): ServerTarget {
  const match = /^(grpcs?|nats):\/\/([^/\s:]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})\/?$/.exec(url);
  if (match === null) {
    throw ValidationError.of(
      field,
      "serverUrl",
      `must be grpc://HOST:PORT, grpcs://HOST:PORT or nats://HOST:PORT, got "${url}"`,
    );
  }
  const [, scheme, host, port] = match;
  return scheme === "nats"
    ? { transport: "nats", url: `nats://${host}:${port}` }
    : { transport: "grpc", address: `${host}:${port}`, tls: scheme === "grpcs" };
}

/** PEM material for a `grpcs://` target; all optional: without `caPem` the system roots are trusted. */
export interface ClientTls {
  readonly caPem?: string;
  /** Presented to a server that requires client certificates (mutual TLS); with `privateKeyPem`. */
  readonly certificatePem?: string;
  readonly privateKeyPem?: string;
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
  /** Used by `grpcs://` targets only. */
  readonly tls?: ClientTls;
  /** A bearer token for gRPC targets (`token:<name>` on the server's side). */
  readonly token?: string;
  /**
   * Used by `nats://` targets only: the NATS user (whose requests then go to its own `.as.<user>`
   * subjects, which is how the server proves who is asking) and TLS files.
   */
  readonly nats?: Omit<NatsConnectionSettings, "inboxPrefix">;
}

/** A client for whichever transport the target names. */
export async function connectApi(
  target: ServerTarget,
  options: ConnectApiOptions = {},
): Promise<ConnectedApi> {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (target.transport === "grpc") {
    const tls = target.tls ? { tls: options.tls ?? {} } : {};
    const token = options.token === undefined ? {} : { token: options.token };
    const client = createGrpcApiClient(target.address, { ...timeout, ...tls, ...token });
    return { api: client, target, close: async () => client.close() };
  }
  const bus = await NatsCommandBus.connect({
    servers: target.url,
    name: options.clientName ?? "certplane-api-client",
    ...(options.nats === undefined ? {} : { connection: options.nats }),
    // A client registers no handlers, so there is nothing for this listener to hear.
    onHandlerError: () => {},
  });
  const user = options.nats?.auth?.user;
  const api = createBusApiClient(bus, { ...timeout, ...(user === undefined ? {} : { natsUser: user }) });
  return { api, target, close: () => bus.close() };
}
