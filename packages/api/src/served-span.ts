import { inSpan, recordingTraceparent, SpanKind } from "@certplane/telemetry";
import type { ApiCaller } from "./caller.ts";
import { rpcName } from "./grpc-definition.ts";
import type { ApiOperation } from "./operations.ts";

/**
 * One server span per API call, a child of the client's trace when it sent one; the caller handed
 * on carries that span, so the events the call records continue the same trace.
 */
export function servedInSpan<T>(
  transport: "grpc" | "nats",
  operation: ApiOperation,
  caller: ApiCaller,
  work: (caller: ApiCaller) => Promise<T>,
): Promise<T> {
  return inSpan(
    `certplane.v1.Certplane/${rpcName(operation)}`,
    {
      kind: SpanKind.SERVER,
      parent: caller.traceparent,
      attributes: {
        "rpc.system": transport === "grpc" ? "grpc" : "nats",
        "rpc.service": "certplane.v1.Certplane",
        "rpc.method": rpcName(operation),
        "enduser.id": caller.actor,
      },
    },
    () => {
      const traceparent = recordingTraceparent() ?? caller.traceparent;
      return work({ ...caller, ...(traceparent === undefined ? {} : { traceparent }) });
    },
  );
}
