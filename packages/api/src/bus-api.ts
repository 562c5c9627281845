import { ForbiddenError } from "@certplane/domain";
import type { CommandBus, Registration } from "@certplane/messaging";
import { type ApiOperation, apiOperations, apiSubject, type CertplaneApi } from "./operations.ts";

const keysStayOffTheBus = "private keys never travel on the bus: use the gRPC API";

export interface BusApiServerOptions {
  /** Instances in the same queue group share the requests. */
  readonly queue: string;
}

/** Answers every API operation on its `certplane.api.v1.<op>` subject; createTlsSecret is refused. */
export async function serveBusApi(
  bus: CommandBus,
  api: CertplaneApi,
  options: BusApiServerOptions,
): Promise<Registration> {
  const registrations = await Promise.all(
    apiOperations.map((operation) =>
      bus.handle(apiSubject(operation), ({ payload }) => invoke(api, operation, payload), {
        queue: options.queue,
      }),
    ),
  );
  return { stop: async () => void (await Promise.all(registrations.map((r) => r.stop()))) };
}

async function invoke(api: CertplaneApi, operation: ApiOperation, request: unknown): Promise<unknown> {
  if (operation === "createTlsSecret")
    throw new ForbiddenError(keysStayOffTheBus, { field: "privateKeyPem" });
  const call = api[operation] as (request: unknown) => Promise<unknown>;
  return await call.call(api, request);
}

export interface BusApiClientOptions {
  readonly timeoutMs?: number;
}

/** A CertplaneApi over the command bus; createTlsSecret fails before anything is sent. */
export function createBusApiClient(bus: CommandBus, options: BusApiClientOptions = {}): CertplaneApi {
  const requestOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const call = (operation: ApiOperation) => (request: unknown) =>
    operation === "createTlsSecret"
      ? Promise.reject(new ForbiddenError(keysStayOffTheBus, { field: "privateKeyPem" }))
      : bus.request(apiSubject(operation), request, requestOptions);
  return Object.fromEntries(
    apiOperations.map((operation) => [operation, call(operation)]),
  ) as unknown as CertplaneApi;
}
