// A local OTLP/HTTP trace receiver: what a collector would get from certplane's exporters, decoded
// so tests can assert on it. It speaks the OTLP/HTTP JSON encoding (the protocol spec's
// `application/json`, ids as hex), which is what @opentelemetry/exporter-trace-otlp-http sends;
// a full collector would be a second moving part for a test that checks only what arrives.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
  /** The `service.name` of the process that sent it. */
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
}

export interface OtlpReceiverHandle {
  /** `http://127.0.0.1:PORT/v1/traces`, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  readonly tracesEndpoint: string;
  spans(): readonly ReceivedSpan[];
  /** Requests that were not OTLP/HTTP JSON trace exports, with why: a test fails on any. */
  rejected(): readonly string[];
  dispose(): Promise<void>;
}

interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly boolValue?: boolean;
  readonly doubleValue?: number;
}
interface OtlpAttribute {
  readonly key: string;
  readonly value: OtlpValue;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly OtlpAttribute[];
  readonly links?: readonly { traceId: string; spanId: string }[];
}
interface OtlpExport {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly OtlpAttribute[] };
    readonly scopeSpans?: readonly { readonly spans?: readonly OtlpSpan[] }[];
  }[];
}

const attributeValue = (value: OtlpValue): unknown =>
  value.stringValue ??
  value.boolValue ??
  value.doubleValue ??
  (value.intValue === undefined ? undefined : Number(value.intValue));

const attributesOf = (attributes: readonly OtlpAttribute[] = []) =>
  Object.fromEntries(attributes.map((attribute) => [attribute.key, attributeValue(attribute.value)]));

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startOtlpReceiver(): Promise<OtlpReceiverHandle> {
  const received: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const type = request.headers["content-type"] ?? "";
    if (request.method !== "POST" || request.url !== "/v1/traces" || !type.startsWith("application/json")) {
      rejected.push(`${request.method} ${request.url} (${type})`);
      response.writeHead(415).end();
      return;
    }
    const exported = JSON.parse(body) as OtlpExport;
    for (const resourceSpans of exported.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)["service.name"] ?? "");
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          received.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
          });
        }
      }
    }
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    tracesEndpoint: `http://127.0.0.1:${port}/v1/traces`,
    spans: () => [...received],
    rejected: () => [...rejected],
    dispose: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
