// Everything one process exposes on its metrics listener, put together once per process. With no
// address nothing is wrapped, registered or served: a process without metrics pays nothing.
import type { Clock } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import { collectDefaultMetrics, Registry } from "prom-client";
import type { AcmeRequestObserver } from "./acme-client-metrics.ts";
import { registerAcmeClientMetrics } from "./acme-client-metrics.ts";
import { BusState, type BusStatus } from "./bus-state.ts";
import { type CertificateFactsSource, registerCertificateMetrics } from "./certificate-metrics.ts";
import { registerClockMetric } from "./clock-metric.ts";
import { busCheck, startedCheck, storeCheck, subscriptionsCheck } from "./health-checks.ts";
import { startObservabilityServer } from "./observability-server.ts";
import { type AppendListener, ObservedEventStore, type SyncCounter } from "./observed-event-store.ts";
import {
  registerEventsAppended,
  registerPublicationFailures,
  registerReactorLag,
  registerSyncCounts,
} from "./pipeline-metrics.ts";
import { SubscriptionTracker } from "./subscription-tracker.ts";

export interface ProcessObservabilityOptions {
  /** From CERTPLANE_METRICS_ADDRESS; undefined: no listener, no metrics. */
  readonly address: string | undefined;
  readonly clock: Clock;
  /** How long a subscription may stay on one event and still count as caught up (default 30 s). */
  readonly maxLagMs?: number;
  /** How long one readiness check may take (default 2 s). */
  readonly checkTimeoutMs?: number;
}

export interface AttachedObservability {
  /** The store to give the service: the one it was given, observed when metrics are on. */
  readonly store: EventStore;
  /** `http://host:port` of the listener, when there is one. */
  readonly url: string | undefined;
  /** Call once the service has started; /readyz says "still starting" until then. */
  started(): void;
  stop(): Promise<void>;
}

export class ProcessObservability {
  readonly #options: ProcessObservabilityOptions;
  readonly #registry = new Registry();
  readonly #tracker: SubscriptionTracker;
  readonly #bus: BusState;
  readonly #onAppended: AppendListener[] = [];
  readonly #sync: SyncCounter;

  constructor(options: ProcessObservabilityOptions) {
    this.#options = options;
    this.#tracker = new SubscriptionTracker(options.clock);
    this.#bus = new BusState(this.#registry, options.clock);
    registerClockMetric(this.#registry, options.clock);
    this.#onAppended.push(registerEventsAppended(this.#registry));
    this.#sync = registerSyncCounts(this.#registry);
    registerReactorLag(this.#registry, this.#tracker);
  }

  get enabled(): boolean {
    return this.#options.address !== undefined;
  }

  /** For the command bus to report its connection (`onBusStatus` of runServiceProcess). */
  readonly onBusStatus = (status: BusStatus): void => this.#bus.report(status);

  /** The secret-publisher's failure count per SecretTarget. */
  countPublicationFailures(): void {
    if (this.enabled) this.#onAppended.push(registerPublicationFailures(this.#registry));
  }

  /** The acme-solver's ACME client metrics; undefined when metrics are off. */
  acmeRequestObserver(): AcmeRequestObserver | undefined {
    return this.enabled ? registerAcmeClientMetrics(this.#registry) : undefined;
  }

  /** Intake's Certificate gauges, read from `source` at each scrape. */
  exposeCertificates(source: CertificateFactsSource): void {
    if (this.enabled) registerCertificateMetrics(this.#registry, source);
  }

  /**
   * Starts the listener, before the service so /readyz answers while it catches up; the service then
   * gets `store` of the answer. `onError` hears of a request the listener could not answer.
   */
  async attach(store: EventStore, onError: (error: unknown) => void): Promise<AttachedObservability> {
    const address = this.#options.address;
    if (address === undefined) {
      return { store, url: undefined, started() {}, async stop() {} };
    }
    // process_* and nodejs_* as cert-manager registers Go's process collector: CPU, memory, file descriptors.
    collectDefaultMetrics({ register: this.#registry });
    let started = false;
    const server = await startObservabilityServer({
      address,
      registry: this.#registry,
      checkTimeoutMs: this.#options.checkTimeoutMs ?? 2_000,
      onError,
      readiness: [
        startedCheck(() => started),
        storeCheck(store),
        busCheck(this.#bus),
        subscriptionsCheck(this.#tracker, this.#options.maxLagMs ?? 30_000),
      ],
    });
    return {
      store: new ObservedEventStore(store, {
        tracker: this.#tracker,
        sync: this.#sync,
        onAppended: this.#onAppended,
      }),
      url: server.url,
      started() {
        started = true;
      },
      stop: () => server.stop(),
    };
  }
}
