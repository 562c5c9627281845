import { CertplaneError, TimeoutError, UnavailableError } from "@certplane/domain";
import {
  ChannelCredentials,
  Client,
  Metadata,
  type MethodDefinition,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import { AUTHORIZATION_KEY } from "./api-tokens.ts";
import { CALLER_USER_KEY } from "./caller.ts";
import { decodeResponse, encodeRequest, type WireMessage } from "./grpc-codec.ts";
import { certplaneService, rpcName } from "./grpc-definition.ts";
import { errorFromTrailer } from "./grpc-errors.ts";
import { localUserName } from "./local-user.ts";
import { type ApiOperation, apiOperations, type CertplaneApi } from "./operations.ts";

/**
 * Past the server's own limit on waiting for the event store (a JetStream append times out at
 * 10 s, with a retryable error that says why), so a server that cannot write answers with that
 * error rather than the client giving up first; still short enough that a hung server surfaces.
 */
export const DEFAULT_GRPC_TIMEOUT_MS = 30_000;

export interface GrpcApiClientOptions {
  /** Deadline for each call. */
  readonly timeoutMs?: number;
  /**
   * Use TLS, trusting this CA (or the system roots when `caPem` is absent); a certificate and key
   * are presented to a server that requires client certificates.
   */
  readonly tls?: {
    readonly caPem?: string;
    readonly certificatePem?: string;
    readonly privateKeyPem?: string;
  } /** Sent as `authorization: Bearer <token>`; the server names the caller `token:<its name>`. */;
  readonly token?: string;
}

export type GrpcApiClient = CertplaneApi & { close(): void };

/** A CertplaneApi over gRPC; the server's typed errors are rethrown as the same CertplaneErrors. */
export function createGrpcApiClient(address: string, options: GrpcApiClientOptions = {}): GrpcApiClient {
  const credentials =
    options.tls === undefined
      ? ChannelCredentials.createInsecure()
      : ChannelCredentials.createSsl(
          pem(options.tls.caPem),
          pem(options.tls.privateKeyPem),
          pem(options.tls.certificatePem),
        );
  const client = new Client(address, credentials);
  const timeoutMs = options.timeoutMs ?? DEFAULT_GRPC_TIMEOUT_MS;

  // Stated, not proven: over plaintext loopback it names the local user in the audit trail.
  const metadata = new Metadata();
  metadata.set(CALLER_USER_KEY, localUserName());
  if (options.token !== undefined) metadata.set(AUTHORIZATION_KEY, `Bearer ${options.token}`);
  const call = (operation: ApiOperation, request: unknown): Promise<never> => {
    const method = certplaneService[rpcName(operation)] as MethodDefinition<WireMessage, WireMessage>;
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        encodeRequest(operation, request as never),
        metadata,
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          if (error) reject(translate(error, operation, address, timeoutMs));
          else resolve(decodeResponse(operation, response as WireMessage) as never);
        },
      );
    });
  };

  const api = Object.fromEntries(
    apiOperations.map((operation) => [operation, (request: unknown) => call(operation, request)]),
  ) as unknown as CertplaneApi;
  return Object.assign(api, { close: () => client.close() });
}

function pem(text: string | undefined): Buffer | null {
  return text === undefined ? null : Buffer.from(text);
}

function translate(error: ServiceError, operation: ApiOperation, address: string, timeoutMs: number): Error {
  const typed = errorFromTrailer(error);
  if (typed !== undefined) return typed;
  switch (error.code) {
    case status.UNAVAILABLE:
      return new UnavailableError(
        `cannot reach the certplane API at ${address}: is the control plane running? ` +
          "start it with `pnpm start`, or pass --server",
        { cause: error },
      );
    case status.DEADLINE_EXCEEDED:
      return new TimeoutError(
        `the certplane API at ${address} did not answer ${operation} within ${timeoutMs} ms`,
        {
          cause: error,
        },
      );
    default:
      return new CertplaneError("INTERNAL", `${operation} failed at ${address}: ${error.details}`, {
        cause: error,
      });
  }
}
