import {
  type Context,
  isSpanContextValid,
  context as otelContext,
  ROOT_CONTEXT,
  trace,
} from "@opentelemetry/api";
import { formatTraceparent, newTraceparent, parseTraceparent, type TraceContext } from "./traceparent.ts";

export const TRACEPARENT_HEADER = "traceparent";
export const TRACESTATE_HEADER = "tracestate";

type Headers = Readonly<Record<string, string>>;

/** The active OpenTelemetry span as a `traceparent`, or `undefined` when no span is recording. */
export function currentTraceparent(active: Context = otelContext.active()): string | undefined {
  const span = trace.getSpanContext(active);
  if (!span || !isSpanContextValid(span)) return undefined;
  return formatTraceparent({ traceId: span.traceId, spanId: span.spanId, traceFlags: span.traceFlags });
}

/**
 * Returns a copy of `headers` that carries trace context: a valid `traceparent` already given is
 * kept, else the active OpenTelemetry span's, else a new trace. Every message is thus linked.
 */
export function injectTraceContext(headers: Headers = {}, active: Context = otelContext.active()): Headers {
  const given = headers[TRACEPARENT_HEADER];
  if (given !== undefined && parseTraceparent(given)) return { ...headers };
  const { [TRACEPARENT_HEADER]: _invalid, [TRACESTATE_HEADER]: _orphanState, ...rest } = headers;
  const fromSpan = currentTraceparent(active);
  if (fromSpan === undefined) return { ...rest, [TRACEPARENT_HEADER]: newTraceparent() };
  const state = trace.getSpanContext(active)?.traceState?.serialize();
  return { ...rest, [TRACEPARENT_HEADER]: fromSpan, ...(state ? { [TRACESTATE_HEADER]: state } : {}) };
}

export function extractTraceContext(headers: Headers): TraceContext | undefined {
  const value = headers[TRACEPARENT_HEADER];
  return value === undefined ? undefined : parseTraceparent(value);
}

/** Runs `work` with the sender's span as remote parent, so spans started inside join the sender's trace. */
export function withRemoteTraceContext<T>(headers: Headers, work: () => T): T {
  const remote = extractTraceContext(headers);
  if (!remote) return work();
  const parent = trace.setSpanContext(ROOT_CONTEXT, { ...remote, isRemote: true });
  return otelContext.with(parent, work);
}
