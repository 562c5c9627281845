// cert-manager's ACME client metrics (pkg/metrics/metrics.go): one count and one latency summary per
// scheme, host, path, method and status of every request the ACME client makes.
import { Counter, type Registry, Summary } from "prom-client";

export interface AcmeRequestObservation {
  readonly url: string;
  readonly method: string;
  /** The HTTP status, or undefined when no response came (refused, timed out). */
  readonly status: number | undefined;
  readonly seconds: number;
}

export type AcmeRequestObserver = (observation: AcmeRequestObservation) => void;

const LABELS = ["scheme", "host", "path", "method", "status"] as const;

// As cert-manager's pathProcessor: `/my-order/<id>/…` becomes `/my-order/<id>`, never a label per URL.
function firstTwoSegments(path: string): string {
  return path.split("/").slice(0, 3).join("/");
}

export function registerAcmeClientMetrics(registry: Registry): AcmeRequestObserver {
  const count = new Counter({
    name: "certmanager_http_acme_client_request_count",
    help: "The number of requests made by the ACME client.",
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Summary({
    name: "certmanager_http_acme_client_request_duration_seconds",
    help: "The HTTP request latencies in seconds for the ACME client.",
    labelNames: LABELS,
    percentiles: [0.5, 0.9, 0.99],
    registers: [registry],
  });
  return ({ url, method, status, seconds }) => {
    const target = new URL(url);
    const labels = {
      scheme: target.protocol.replace(/:$/, ""),
      host: target.host,
      path: firstTwoSegments(target.pathname),
      method: method.toUpperCase(),
      // cert-manager labels a request that got no response with status 999.
      status: String(status ?? 999),
    };
    count.inc(labels);
    duration.observe(labels, seconds);
  };
}
