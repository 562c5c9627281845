// Spans around certplane's units of work. The parent is given as a W3C traceparent (an event's
// metadata, a request's header) because that is what crosses processes and survives in the store.
import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { formatTraceparent, parseTraceparent } from "./traceparent.ts";

export { SpanKind, SpanStatusCode };

const tracer = () => trace.getTracer("certplane");

export interface WorkSpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The remote parent: the span that caused this work, as a traceparent. */
  readonly parent?: string | undefined;
  /** Starts a new trace even inside another span (work fired by a timer, not by its cause). */
  readonly root?: boolean;
  /** Traces this work follows from without being part of them (the apply behind a renewal days later). */
  readonly links?: readonly (string | undefined)[];
}

function remoteContext(traceparent: string | undefined, base: Context): Context | undefined {
  const parsed = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  return parsed === undefined ? undefined : trace.setSpanContext(base, { ...parsed, isRemote: true });
}

function linksOf(traceparents: readonly (string | undefined)[]): Link[] {
  return traceparents.flatMap((traceparent) => {
    const parsed = traceparent === undefined ? undefined : parseTraceparent(traceparent);
    return parsed === undefined ? [] : [{ context: { ...parsed, isRemote: true } }];
  });
}

/** Runs `work` in a new active span that ends with it, recording a thrown error on the span. */
export async function inSpan<T>(
  name: string,
  options: WorkSpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const base = options.root ? ROOT_CONTEXT : context.active();
  const parent = remoteContext(options.parent, base) ?? base;
  return await tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
      ...(options.links === undefined ? {} : { links: linksOf(options.links) }),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * The active span as a traceparent, only when it is being recorded: with tracing off the active
 * "span" is the caller's remote context, and recording that would make work its own parent.
 */
export function recordingTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceparent({ traceId, spanId, traceFlags });
}

/** The active trace and span ids, for log lines; undefined outside any trace. */
export function activeTraceIds(): { readonly traceId: string; readonly spanId: string } | undefined {
  const span = trace.getSpanContext(context.active());
  if (span === undefined || !isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId };
}

/**
 * Whether the OTEL_* variables ask for traces (see tracing.ts): checked before the SDK is loaded,
 * so a process that does not trace never loads it.
 */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (named !== undefined && named !== "") return named !== "none";
  return (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT) !== undefined;
}
