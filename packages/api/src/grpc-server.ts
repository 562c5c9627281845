import { ForbiddenError, isCertplaneError } from "@certplane/domain";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { type ApiTokens, AUTHORIZATION_KEY, bearerToken } from "./api-tokens.ts";
import { type ApiCaller, CALLER_USER_KEY, grpcCaller, TRACEPARENT_KEY } from "./caller.ts";
import { decodeRequest, encodeResponse, type WireMessage } from "./grpc-codec.ts";
import { certplaneService, rpcName } from "./grpc-definition.ts";
import { toGrpcError } from "./grpc-errors.ts";
import { type ApiOperation, apiOperations, type CertplaneApi } from "./operations.ts";
import { servedInSpan } from "./served-span.ts";

export interface GrpcServerTls {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  /** When set, clients must present a certificate signed by this CA. */
  readonly clientCaPem?: string;
}

export interface GrpcApiServerOptions {
  /** `host:port`; port 0 picks a free port, reported back in the handle's `address`. */
  readonly address: string;
  /** Plaintext when absent, which is meant for loopback only. */
  readonly tls?: GrpcServerTls;
  /** Told about errors that are not CertplaneErrors; the caller only sees a bare INTERNAL. */
  readonly onInternalError?: (error: unknown, operation: ApiOperation) => void;
  /** Bearer tokens clients may present (`token:<name>` identities); without it, tokens are refused. */
  readonly tokens?: ApiTokens;
}

export interface GrpcApiServer {
  /** The bound `host:port`. */
  readonly address: string;
  /** Stops accepting calls and waits for the running ones. */
  stop(): Promise<void>;
}

export async function serveGrpcApi(api: CertplaneApi, options: GrpcApiServerOptions): Promise<GrpcApiServer> {
  const server = new Server();
  server.addService(certplaneService, implementation(api, options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(options.address, credentials(options.tls), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const host = options.address.slice(0, options.address.lastIndexOf(":"));
  return {
    address: `${host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

function credentials(tls: GrpcServerTls | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const ca = tls.clientCaPem === undefined ? null : Buffer.from(tls.clientCaPem);
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: Buffer.from(tls.certificatePem), private_key: Buffer.from(tls.privateKeyPem) }],
    ca !== null,
  );
}

function implementation(api: CertplaneApi, options: GrpcApiServerOptions): UntypedServiceImplementation {
  return Object.fromEntries(
    apiOperations.map((operation) => [rpcName(operation), unaryHandler(api, operation, options)]),
  );
}

function callerOf(call: ServerUnaryCall<WireMessage, WireMessage>, options: GrpcApiServerOptions): ApiCaller {
  const text = (key: string) => {
    const value = call.metadata.get(key)[0];
    return typeof value === "string" ? value : undefined;
  };
  const peer = call.getAuthContext().sslPeerCertificate;
  const tls = options.tls !== undefined;
  return grpcCaller(
    peer,
    tls,
    text(CALLER_USER_KEY),
    text(TRACEPARENT_KEY),
    tokenNameOf(text(AUTHORIZATION_KEY), options),
  );
}

/** A presented token must be one the server knows: a wrong one is refused, never ignored. */
function tokenNameOf(authorization: string | undefined, options: GrpcApiServerOptions): string | undefined {
  if (authorization === undefined) return undefined;
  const token = bearerToken(authorization);
  const name = token === undefined ? undefined : options.tokens?.nameOf(token);
  if (name !== undefined) return name;
  throw new ForbiddenError(
    options.tokens === undefined
      ? "this server takes no API tokens (CERTPLANE_API_TOKENS_FILE is not set); leave out --token-file or use a client certificate"
      : token === undefined
        ? 'the authorization metadata must be "Bearer <token>"'
        : "the API token is not one this server knows: check --token-file (or CERTPLANE_TOKEN_FILE) against the server's CERTPLANE_API_TOKENS_FILE",
    { field: "token" },
  );
}

function unaryHandler(api: CertplaneApi, operation: ApiOperation, options: GrpcApiServerOptions) {
  return (call: ServerUnaryCall<WireMessage, WireMessage>, callback: sendUnaryData<WireMessage>): void => {
    Promise.resolve()
      .then(() => callerOf(call, options))
      .then((caller) =>
        servedInSpan("grpc", operation, caller, (served) => invoke(api, operation, call.request, served)),
      )
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (!isCertplaneError(error)) options.onInternalError?.(error, operation);
          callback(toGrpcError(error, operation));
        },
      );
  };
}

async function invoke(
  api: CertplaneApi,
  operation: ApiOperation,
  wire: WireMessage,
  caller: ApiCaller,
): Promise<WireMessage> {
  const call = api[operation] as (request: unknown, caller: ApiCaller) => Promise<never>;
  const response = await call.call(api, decodeRequest(operation, wire), caller);
  return encodeResponse(operation, response);
}
