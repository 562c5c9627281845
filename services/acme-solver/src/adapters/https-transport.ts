import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import type { AcmeRequestObserver } from "@certplane/observability";
import { inSpan, SpanKind, SpanStatusCode } from "@certplane/telemetry";
import { AcmeRequestError } from "../acme-request-error.ts";

/** The response shape acme-client's HttpClient reads (`status`, lower-case `headers`, parsed `data`). */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly data: unknown;
}

export type Transport = (
  url: string,
  method: string,
  options?: { data?: unknown; headers?: Record<string, string> },
) => Promise<RawResponse>;

/**
 * One TLS trust per issuer (caBundle or skipTLSVerify), never the process-wide
 * NODE_EXTRA_CA_CERTS, and no hidden retries: a refused connection or a bad certificate comes
 * back at once with its own message, and the caller decides whether to retry.
 */
export function createTransport(options: {
  readonly caBundlePem?: string;
  readonly skipTLSVerify?: boolean;
  readonly timeoutMs: number;
}): Transport {
  const agent = new https.Agent({
    keepAlive: true,
    ...(options.caBundlePem ? { ca: options.caBundlePem } : {}),
    rejectUnauthorized: !options.skipTLSVerify,
  });
  const send: Transport = (url, method, requestOptions = {}) =>
    new Promise<RawResponse>((resolve, reject) => {
      const target = new URL(url);
      const body = requestOptions.data === undefined ? undefined : JSON.stringify(requestOptions.data);
      const lib = target.protocol === "https:" ? https : http;
      const request = lib.request(
        target,
        {
          method: method.toUpperCase(),
          headers: {
            // What acme-client's own request() sets, which this transport replaces (RFC 8555 §6.2).
            "content-type": "application/jose+json",
            ...requestOptions.headers,
            ...(body === undefined ? {} : { "content-length": Buffer.byteLength(body).toString() }),
          },
          ...(target.protocol === "https:" ? { agent } : {}),
          timeout: options.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => reject(transportError(method, url, error)));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const headers: Record<string, string | undefined> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              headers[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve({ status: response.statusCode ?? 0, headers, data: parseBody(text, headers) });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no response within ${options.timeoutMs} ms`)));
      request.on("error", (error) => reject(transportError(method, url, error)));
      request.end(body);
    });
  return (url, method, requestOptions) => {
    const target = new URL(url);
    // An HTTP client span per ACME request, named and described as OTel's HTTP conventions say.
    return inSpan(
      method.toUpperCase(),
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "http.request.method": method.toUpperCase(),
          "url.full": url,
          "server.address": target.hostname,
          "server.port": Number(target.port || (target.protocol === "https:" ? 443 : 80)),
        },
      },
      async (span) => {
        const response = await send(url, method, requestOptions);
        span.setAttribute("http.response.status_code", response.status);
        if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      },
    );
  };
}

/** Tells `observe` of each request's status and latency (a monotonic clock: a duration, not a time). */
export function observedTransport(transport: Transport, observe: AcmeRequestObserver): Transport {
  return async (url, method, options) => {
    const start = performance.now();
    let status: number | undefined;
    try {
      const response = await transport(url, method, options);
      status = response.status;
      return response;
    } finally {
      observe({ url, method, status, seconds: (performance.now() - start) / 1000 });
    }
  };
}

function parseBody(text: string, headers: Record<string, string | undefined>): unknown {
  if (!/json/.test(headers["content-type"] ?? "") || text === "") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function transportError(method: string, url: string, error: Error): AcmeRequestError {
  const code = (error as NodeJS.ErrnoException).code;
  return new AcmeRequestError(
    `${method.toUpperCase()} ${url}`,
    { detail: code ? `${code}: ${error.message}` : error.message },
    { cause: error },
  );
}
