// The OpenTelemetry SDK for one process, configured by the standard OTEL_* variables and off unless
// they ask for it: without a registered provider the API's tracer is a no-op, so every span call in
// certplane costs next to nothing when tracing is off.
import { context, propagation, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { tracingRequested } from "./spans.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface TracingOptions {
  /** `service.name`, unless OTEL_SERVICE_NAME says otherwise. */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /** `service.instance.id`: which of several instances of a service made a span. */
  readonly instanceId?: string;
  readonly env?: Env;
  /** Exports every span at once to this exporter instead (tests: the SDK's InMemorySpanExporter). */
  readonly exporter?: SpanExporter;
}

export interface Tracing {
  /** Whether spans are recorded and exported at all. */
  readonly enabled: boolean;
  /** Sends what is buffered; a stopping process calls it so its last spans are not lost. */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const off: Tracing = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/**
 * The exporter OTEL_TRACES_EXPORTER names (`otlp` — OTLP/HTTP to OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT —
 * or `console`); undefined when tracing stays off. An OTLP endpoint set without an exporter turns
 * OTLP on: that is how collectors' deployment docs configure a process. Unlike the SDK's own
 * default (otlp), nothing set means off: a control plane should not send data anywhere unasked.
 */
function exporterFromEnv(env: Env): SpanExporter | undefined {
  if (!tracingRequested(env)) return undefined;
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() || "otlp";
  if (named === "console") return new ConsoleSpanExporter();
  if (named === "otlp") return new OTLPTraceExporter();
  throw new Error(`OTEL_TRACES_EXPORTER "${named}" is not supported: use otlp, console or none`);
}

/** Registers the process's tracer provider when tracing is asked for; call once, first thing. */
export function startTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  const exporter = options.exporter ?? exporterFromEnv(env);
  if (exporter === undefined) return off;
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: options.serviceName,
    ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    ...(options.instanceId === undefined ? {} : { "service.instance.id": options.instanceId }),
  }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      options.exporter === undefined ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter),
    ],
  });
  provider.register();
  return {
    enabled: true,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      // So a later start in the same process (tests) can register its own provider again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The SDK's in-memory exporter, for tests that assert on the spans a run made. */
export { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
