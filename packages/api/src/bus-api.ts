import { ForbiddenError } from "@certplane/domain";
import type { CommandBus, Registration } from "@certplane/messaging";
import { type ApiCaller, CALLER_USER_KEY, natsCaller, TRACEPARENT_KEY } from "./caller.ts";
import { localUserName } from "./local-user.ts";
import { type ApiOperation, apiOperations, apiSubject, type CertplaneApi } from "./operations.ts";

const keysStayOffTheBus = "private keys never travel on the bus: use the gRPC API";
const secretsStayOffTheBus =
  "Secret manifests carry private keys and credentials, which never travel on the bus: apply them over gRPC";

/** A Secret document in YAML (`kind: Secret`) or JSON (`"kind": "Secret"`) anywhere in the text. */
const secretDocument = /^\s*kind:\s*["']?Secret["']?\s*(#.*)?$|"kind"\s*:\s*"Secret"/m;

/** Why a request must not be sent over the bus, or undefined when it may. */
function refusal(operation: ApiOperation, request: unknown): ForbiddenError | undefined {
  if (operation === "createTlsSecret")
    return new ForbiddenError(keysStayOffTheBus, { field: "privateKeyPem" });
  const manifests = (request as { manifests?: unknown } | undefined)?.manifests;
  if (operation === "apply" && typeof manifests === "string" && secretDocument.test(manifests)) {
    return new ForbiddenError(secretsStayOffTheBus, { field: "manifests" });
  }
  return undefined;
}

export interface BusApiServerOptions {
  /** Instances in the same queue group share the requests. */
  readonly queue: string;
}

/** Answers every API operation on its `certplane.api.v1.<op>` subject; anything carrying secrets is refused. */
export async function serveBusApi(
  bus: CommandBus,
  api: CertplaneApi,
  options: BusApiServerOptions,
): Promise<Registration> {
  const registrations = await Promise.all(
    apiOperations.map((operation) =>
      bus.handle(
        apiSubject(operation),
        ({ payload, headers }) =>
          invoke(api, operation, payload, natsCaller(headers[CALLER_USER_KEY], headers[TRACEPARENT_KEY])),
        {
          queue: options.queue,
        },
      ),
    ),
  );
  return { stop: async () => void (await Promise.all(registrations.map((r) => r.stop()))) };
}

async function invoke(
  api: CertplaneApi,
  operation: ApiOperation,
  request: unknown,
  caller: ApiCaller,
): Promise<unknown> {
  const refused = refusal(operation, request);
  if (refused) throw refused;
  const call = api[operation] as (request: unknown, caller: ApiCaller) => Promise<unknown>;
  return await call.call(api, request, caller);
}

export interface BusApiClientOptions {
  readonly timeoutMs?: number;
}

/** A CertplaneApi over the command bus; anything carrying secrets fails before it is sent. */
export function createBusApiClient(bus: CommandBus, options: BusApiClientOptions = {}): CertplaneApi {
  const requestOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    headers: { [CALLER_USER_KEY]: localUserName() },
  };
  const call = (operation: ApiOperation) => (request: unknown) => {
    const refused = refusal(operation, request);
    return refused ? Promise.reject(refused) : bus.request(apiSubject(operation), request, requestOptions);
  };
  return Object.fromEntries(
    apiOperations.map((operation) => [operation, call(operation)]),
  ) as unknown as CertplaneApi;
}
