import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./nats-server.ts";
import { pollUntil } from "./poll-until.ts";
import { retryWhenTheServerExits, startServerProcess } from "./server-process.ts";

/** One series of an instant query's answer. */
export interface PrometheusSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Runs an instant PromQL query through the HTTP API (`/api/v1/query`); a vector answer only. */
  query(promql: string): Promise<readonly PrometheusSample[]>;
  /**
   * Polls `promql` until its answer has a series (a comparison such as `… == 1` answers none while
   * it is false), and resolves with them. Bounded: fails after `timeoutMs` with the last answer.
   */
  waitFor(promql: string, options?: { readonly timeoutMs?: number }): Promise<readonly PrometheusSample[]>;
  dispose(): Promise<void>;
}

export interface PrometheusOptions {
  /** The binary; PROMETHEUS_BIN or `prometheus` from PATH by default. */
  readonly binary?: string;
  /** `host:port` of each /metrics endpoint to scrape, in one job named `certplane`. */
  readonly targets: readonly string[];
  /** Scrape interval (default 1 s, so a test sees a change within a second or two). */
  readonly scrapeIntervalMs?: number;
}

interface QueryAnswer {
  readonly status: string;
  readonly error?: string;
  readonly data?: {
    readonly resultType: string;
    readonly result: readonly { metric: Record<string, string>; value: [number, string] }[];
  };
}

/**
 * Starts a private Prometheus (from PATH; Debian package `prometheus`) on a free loopback port with
 * its own TSDB directory, scraping `targets`, so each test suite is isolated. It is never the system
 * service: that one, if any, keeps its own port and data.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusHandle> {
  const binary = options.binary ?? process.env.PROMETHEUS_BIN ?? "prometheus";
  const dir = await mkdtemp(join(tmpdir(), "certplane-prometheus-"));
  const configPath = join(dir, "prometheus.yml");
  const interval = `${options.scrapeIntervalMs ?? 1_000}ms`;
  await writeFile(
    configPath,
    [
      "global:",
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      "scrape_configs:",
      "  - job_name: certplane",
      "    static_configs:",
      `      - targets: [${options.targets.map((target) => JSON.stringify(target)).join(", ")}]`,
      "",
    ].join("\n"),
  );
  let child: ChildProcess | undefined;
  let port = 0;
  // A new free port each attempt: another process may take one before Prometheus binds it.
  await retryWhenTheServerExits(async () => {
    port = await freePort();
    child = await startServerProcess({
      binary,
      args: [
        `--config.file=${configPath}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      name: `prometheus on port ${port}`,
      install: "apt-get install -y --no-install-recommends prometheus",
      ready: async () =>
        (await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined))?.ok === true,
      timeoutMs: 20_000,
    });
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const url = `http://127.0.0.1:${port}`;

  const query = async (promql: string): Promise<readonly PrometheusSample[]> => {
    const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const answer = (await response.json()) as QueryAnswer;
    if (answer.status !== "success" || answer.data === undefined) {
      throw new Error(`query ${promql} failed: ${answer.error ?? response.status}`);
    }
    if (answer.data.resultType !== "vector") {
      throw new Error(`query ${promql} answered a ${answer.data.resultType}, not a vector`);
    }
    return answer.data.result.map((series) => ({ metric: series.metric, value: Number(series.value[1]) }));
  };

  return {
    url,
    query,
    async waitFor(promql, { timeoutMs = 30_000 } = {}) {
      let last: readonly PrometheusSample[] = [];
      try {
        return await pollUntil(
          async () => {
            last = await query(promql);
            return last.length > 0 && last;
          },
          { timeoutMs, intervalMs: 250, what: `Prometheus to answer ${promql}` },
        );
      } catch (error) {
        const targets = await fetch(`${url}/api/v1/targets`)
          .then((response) => response.text())
          .catch(() => "(targets unavailable)");
        throw new Error(
          `${(error as Error).message}; last answer ${JSON.stringify(last)}; targets ${targets}`,
          {
            cause: error,
          },
        );
      }
    },
    async dispose() {
      const proc = child;
      child = undefined;
      if (proc && proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once("exit", resolve));
        proc.kill("SIGKILL");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
