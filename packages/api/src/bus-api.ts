import { ForbiddenError } from "@certplane/domain";
import type { CommandBus, InboundRequest, Registration } from "@certplane/messaging";
import { type ApiCaller, CALLER_USER_KEY, natsCaller, natsUserCaller, TRACEPARENT_KEY } from "./caller.ts";
import { localUserName } from "./local-user.ts";
import {
  type ApiOperation,
  apiOperations,
  apiSubject,
  apiSubjectAs,
  type CertplaneApi,
} from "./operations.ts";
import { servedInSpan } from "./served-span.ts";

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
  const serve = (
    subject: string,
    operation: ApiOperation,
    callerOf: (request: InboundRequest<unknown>) => ApiCaller,
  ) =>
    bus.handle(
      subject,
      (request) =>
        servedInSpan("nats", operation, callerOf(request), (caller) =>
          invoke(api, operation, request.payload, caller),
        ),
      { queue: options.queue },
    );
  const registrations = await Promise.all(
    apiOperations.flatMap((operation) => [
      serve(apiSubject(operation), operation, ({ headers }) =>
        natsCaller(headers[CALLER_USER_KEY], headers[TRACEPARENT_KEY]),
      ),
      serve(apiSubjectAs(operation, "*"), operation, ({ subject, headers }) =>
        natsUserCaller(subject.slice(subject.lastIndexOf(".") + 1), headers[TRACEPARENT_KEY]),
      ),
    ]),
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
  /** The NATS user the bus connected as: requests go to its `.as.<user>` subjects (apiSubjectAs). */
  readonly natsUser?: string;
}

/** A CertplaneApi over the command bus; anything carrying secrets fails before it is sent. */
export function createBusApiClient(bus: CommandBus, options: BusApiClientOptions = {}): CertplaneApi {
  const requestOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    headers: { [CALLER_USER_KEY]: localUserName() },
  };
  const call = (operation: ApiOperation) => (request: unknown) => {
    const refused = refusal(operation, request);
    const subject =
      options.natsUser === undefined ? apiSubject(operation) : apiSubjectAs(operation, options.natsUser);
    return refused ? Promise.reject(refused) : bus.request(subject, request, requestOptions);
  };
  return Object.fromEntries(
    apiOperations.map((operation) => [operation, call(operation)]),
  ) as unknown as CertplaneApi;
}
