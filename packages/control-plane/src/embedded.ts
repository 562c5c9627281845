import { join } from "node:path";
import { createAcmeHttpClient, parseAcmeSolverConfig, startAcmeSolverService } from "@certplane/acme-solver";
import type { CertplaneApi } from "@certplane/api";
import { serveBusApi, serveGrpcApi } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import { parseIntakeConfig, startDashboard, startIntakeService } from "@certplane/intake";
import { InProcessBroker } from "@certplane/messaging";
import { certificateFactsFromApi, ProcessObservability, parseMetricsAddress } from "@certplane/observability";
import { parseRenewalSchedulerConfig, startRenewalSchedulerService } from "@certplane/renewal-scheduler";
import type { HostConfig, Infrastructure, Logger, TimerClock } from "@certplane/runtime";
import { buildInfrastructure, systemTimerClock } from "@certplane/runtime";
import { parseSecretPublisherConfig, startSecretPublisherService } from "@certplane/secret-publisher";
import { parseSignerConfig, startSignerService } from "@certplane/signer";

/** Where `pnpm start` serves the dashboard unless CERTPLANE_DASHBOARD_ADDRESS says otherwise. */
export const defaultDashboardAddress = "127.0.0.1:7480";

/** cert-manager's metrics port, where `pnpm start` serves /metrics, /livez and /readyz. */
export const defaultMetricsAddress = "127.0.0.1:9402";

export interface EmbeddedOptions {
  readonly host: HostConfig;
  readonly env: NodeJS.ProcessEnv;
  /** gRPC listen address, overriding CERTPLANE_GRPC_ADDRESS; port 0 picks a free port. */
  readonly grpcAddress?: string;
  readonly clock?: Clock;
  /** The renewal scheduler's clock; defaults to the system clock. */
  readonly timerClock?: TimerClock;
  readonly logger?: Logger;
  /**
   * Where to serve /metrics, /livez and /readyz when CERTPLANE_METRICS_ADDRESS is unset: `pnpm start`
   * passes `defaultMetricsAddress`; left out, there is no listener, so planes started side by side
   * (tests) never contend for one port.
   */
  readonly defaultMetricsAddress?: string;
  /** Called with each start-up step, so a person sees progress. */
  readonly progress?: (step: string) => void;
}

export interface EmbeddedControlPlane {
  readonly api: CertplaneApi;
  readonly grpcAddress: string;
  /** `grpc://` or, when the API serves TLS, `grpcs://` and the bound address: certctl's --server. */
  readonly apiUrl: string;
  /** The read-only dashboard, unless CERTPLANE_DASHBOARD_ADDRESS is `off`. */
  readonly dashboardUrl?: string;
  /** `http://host:port` of /metrics, /livez and /readyz, when they are served. */
  readonly metricsUrl?: string;
  readonly infrastructure: Infrastructure;
  stop(): Promise<void>;
}

/**
 * All five services in one process, sharing one event store, one in-process bus and one
 * key-encryption key: the default a newcomer gets from the README.
 */
export async function startEmbeddedControlPlane(options: EmbeddedOptions): Promise<EmbeddedControlPlane> {
  const progress = options.progress ?? (() => {});
  // Parsed first so that a TLS or address mistake stops start-up before anything is opened.
  const intakeConfig = parseIntakeConfig(
    options.grpcAddress === undefined
      ? options.env
      : { ...options.env, CERTPLANE_GRPC_ADDRESS: options.grpcAddress },
    {},
    { dashboardAddress: defaultDashboardAddress, snapshotDir: join(options.host.dataDir, "snapshots") },
  );
  const metricsAddress = parseMetricsAddress(options.env, options.defaultMetricsAddress);
  const broker = new InProcessBroker();
  progress(`opening the ${options.host.store} event store`);
  const infrastructure = await buildInfrastructure(options.host, {
    service: "control-plane",
    broker,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { clock, newId, kek, logger, bus } = infrastructure;
  const stops: (() => Promise<void>)[] = [];
  try {
    // One listener for the five services: they share the store, so it is observed once.
    const observability = new ProcessObservability({ address: metricsAddress, clock });
    observability.countPublicationFailures();
    const acmeRequests = observability.acmeRequestObserver();
    const metrics = await observability.attach(infrastructure.store, (error) =>
      logger.error("the metrics listener could not answer a request", { error }),
    );
    stops.push(() => metrics.stop());
    if (metrics.url) progress(`serving metrics on ${metrics.url}/metrics`);
    const { store } = metrics;
    progress("starting secret-publisher");
    const publisher = await startSecretPublisherService({
      store,
      bus,
      clock,
      newId,
      kek,
      logger: logger.child({ component: "secret-publisher" }),
      config: parseSecretPublisherConfig(options.env),
      ...(options.timerClock ? { timerClock: options.timerClock } : {}),
    });
    stops.push(() => publisher.stop());
    progress("starting signer");
    const signer = await startSignerService({
      store,
      bus,
      clock,
      newId,
      kek,
      logger: logger.child({ component: "signer" }),
      config: parseSignerConfig(options.env),
    });
    stops.push(() => signer.stop());
    progress("starting renewal-scheduler");
    const scheduler = await startRenewalSchedulerService({
      store,
      bus,
      clock: options.timerClock ?? systemTimerClock,
      newId,
      logger: logger.child({ component: "renewal-scheduler" }),
      config: parseRenewalSchedulerConfig(options.env),
    });
    stops.push(() => scheduler.stop());
    progress("starting acme-solver");
    const solver = await startAcmeSolverService({
      store,
      bus,
      clock,
      newId,
      kek,
      logger: logger.child({ component: "acme-solver" }),
      config: parseAcmeSolverConfig(options.env),
      acmeClientFactory: (acmeOptions) => createAcmeHttpClient(acmeOptions, clock, acmeRequests),
    });
    stops.push(() => solver.stop());
    progress("starting intake");
    const intake = await startIntakeService({
      store,
      bus,
      clock,
      newId,
      kek,
      logger: logger.child({ component: "intake" }),
      config: intakeConfig,
    });
    stops.push(() => intake.stop());
    observability.exposeCertificates(certificateFactsFromApi(intake.api));
    const busApi = await serveBusApi(bus, intake.api, { queue: "intake" });
    stops.push(() => busApi.stop());
    const scheme = intakeConfig.grpc.tls === undefined ? "grpc" : "grpcs";
    progress(`serving the API on ${scheme}://${intakeConfig.grpc.address}`);
    const grpc = await serveGrpcApi(intake.api, intakeConfig.grpc);
    stops.push(() => grpc.stop());
    const dashboard =
      intakeConfig.dashboardAddress === undefined
        ? undefined
        : await startDashboard({
            api: intake.api,
            address: intakeConfig.dashboardAddress,
            clock,
            logger: logger.child({ component: "dashboard" }),
          });
    if (dashboard) stops.push(() => dashboard.stop());
    metrics.started();
    return {
      api: intake.api,
      grpcAddress: grpc.address,
      apiUrl: `${scheme}://${grpc.address}`,
      ...(dashboard ? { dashboardUrl: dashboard.url } : {}),
      ...(metrics.url ? { metricsUrl: metrics.url } : {}),
      infrastructure,
      async stop() {
        for (const stop of stops.reverse()) await stop();
        await infrastructure.close();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await infrastructure.close().catch(() => {});
    throw error;
  }
}
