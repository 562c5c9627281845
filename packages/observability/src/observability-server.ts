// One HTTP listener per process for Prometheus and the orchestrator: /metrics, /livez, /readyz.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UnavailableError } from "@certplane/domain";
import type { Registry } from "prom-client";
import { checkReadiness, type HealthCheck } from "./health-checks.ts";
import { METRICS_ADDRESS_VARIABLE } from "./listen-address.ts";

export interface ObservabilityServerOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly address: string;
  readonly registry: Registry;
  readonly readiness: readonly HealthCheck[];
  /** How long one readiness check may take before it counts as failed. */
  readonly checkTimeoutMs: number;
  readonly onError: (error: unknown) => void;
}

export interface RunningObservabilityServer {
  /** `http://host:port` as bound. */
  readonly url: string;
  stop(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  response.end(body);
}

const TEXT = "text/plain; charset=utf-8";

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: ObservabilityServerOptions,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method !== "GET" && request.method !== "HEAD") return send(response, 405, TEXT, "GET only\n");
  if (path === "/metrics") {
    return send(response, 200, options.registry.contentType, await options.registry.metrics());
  }
  // Alive is answering at all: a wedged event loop never gets here, and restarting helps nothing else.
  if (path === "/livez") return send(response, 200, TEXT, "ok\n");
  if (path === "/readyz") {
    const report = await checkReadiness(options.readiness, options.checkTimeoutMs);
    return send(response, report.ready ? 200 : 503, TEXT, report.body);
  }
  send(response, 404, TEXT, "not found: try /metrics, /livez or /readyz\n");
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(address.slice(colon + 1)) };
}

export async function startObservabilityServer(
  options: ObservabilityServerOptions,
): Promise<RunningObservabilityServer> {
  const server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      options.onError(error);
      if (!response.headersSent) send(response, 500, TEXT, "could not render the answer\n");
      else response.end();
    });
  });
  const { host, port } = splitAddress(options.address);
  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) =>
      reject(
        new UnavailableError(
          `cannot serve /metrics, /livez and /readyz on ${options.address} (${METRICS_ADDRESS_VARIABLE}): ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    server.once("error", refused);
    server.listen(port, host, () => {
      server.off("error", refused);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${shownHost}:${bound.port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
