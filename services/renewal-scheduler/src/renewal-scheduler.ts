// One timer for every certificate: due times live in a min-heap and a single wait is armed for the
// earliest. The tracked state is a Projection rebuilt from the events at start, so a renewal that
// fell due while the scheduler was down fires as soon as it has caught up. When instances share
// the work, each tracks everything but fires only for the certificates in the partitions it holds,
// and looks again at the ones it gains: no renewal fires twice, none is lost in a handover.
import type { DomainEvent, RecordedEvent } from "@certplane/domain";
import type { CertificateEvent, SecretEvent, SecretFacts } from "@certplane/domain/model";
import { parseStreamName, streams } from "@certplane/domain/model";
import type { EventStore } from "@certplane/event-store";
import { partitionOf } from "@certplane/event-store";
import type { CommandContext, Logger, ServiceHandles, TimerClock, WorkShare } from "@certplane/runtime";
import { contextFromEvent, Projection, startedContext } from "@certplane/runtime";
import { inSpan } from "@certplane/telemetry";
import type { RenewalSchedulerConfig } from "./config.ts";
import { handleCertificateDue } from "./handlers/certificate-due.ts";
import { TimerHeap } from "./timers/timer-heap.ts";
import type { RenewalPlan } from "./trigger/renewal-plan.ts";
import { planRenewal } from "./trigger/renewal-plan.ts";
import { evolveSecretFacts } from "./trigger/secret-facts.ts";
import type { TrackedCertificate } from "./trigger/tracked-certificate.ts";
import { evolveTracked } from "./trigger/tracked-certificate.ts";

type Tracked = TrackedCertificate | SecretFacts | undefined;

/** After a failed command (store unavailable …) the certificate is looked at again this much later. */
const RETRY_AFTER_ERROR_MS = 5_000;

export interface RenewalSchedulerOptions {
  readonly store: EventStore;
  readonly handles: ServiceHandles;
  readonly clock: TimerClock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly config: RenewalSchedulerConfig;
  readonly workShare?: WorkShare;
}

export function trackedProjection(): Projection<Tracked> {
  return new Projection<Tracked>({
    categories: ["certificate", "certificateIssuance", "secret"],
    initialState: () => undefined,
    evolve: (state, event: DomainEvent, recorded) =>
      recorded.stream.startsWith("secret-")
        ? evolveSecretFacts(state as SecretFacts | undefined, event as SecretEvent)
        : evolveTracked(state as TrackedCertificate | undefined, event as CertificateEvent),
  });
}

export class RenewalScheduler {
  readonly #options: RenewalSchedulerOptions;
  readonly #projection = trackedProjection();
  readonly #heap = new TimerHeap();
  /** Secret stream → the certificate stream that publishes it. */
  readonly #certificateBySecret = new Map<string, string>();
  /** The newest event that changed what each certificate needs: the cause of the work it asks for. */
  readonly #lastEvent = new Map<string, Pick<RecordedEvent, "id" | "metadata">>();
  /** Certificates whose work is due because an event changed what they need, not because time passed. */
  readonly #followingEvent = new Set<string>();
  #caughtUp = false;
  #stopped = false;
  #wake = new AbortController();
  #armedAt: number | undefined;
  #loop: Promise<void> | undefined;
  #unwatchPartitions: (() => void) | undefined;

  constructor(options: RenewalSchedulerOptions) {
    this.#options = options;
  }

  /** How many certificates have a due time; for tests and metrics. */
  get scheduledCount(): number {
    return this.#heap.size;
  }

  dueAt(namespace: string, name: string): Date | undefined {
    const at = this.#heap.dueAt(streams.certificate(namespace, name));
    return at === undefined ? undefined : new Date(at);
  }

  async start(): Promise<void> {
    this.#projection.onChange((stream, state, event) => this.#changed(stream, state, event));
    await this.#projection.start(this.#options.store);
    this.#caughtUp = true;
    this.#replanWhere(() => true);
    const share = this.#options.workShare;
    this.#unwatchPartitions = share?.onChange(async ({ gained }) => {
      this.#replanWhere((stream) => gained.includes(partitionOf(stream, share.partitions)));
    });
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#unwatchPartitions?.();
    this.#stopped = true;
    this.#wake.abort();
    await this.#projection.stop();
    await this.#loop;
  }

  #replanWhere(wanted: (stream: string) => boolean): void {
    for (const [stream, state] of this.#projection.entries()) {
      if (stream.startsWith("certificate-") && wanted(stream))
        this.#replan(stream, state as TrackedCertificate | undefined);
    }
  }

  /** Whether this instance fires for `stream`: always, unless another instance holds its partition. */
  #mine(stream: string): boolean {
    const share = this.#options.workShare;
    return share === undefined || share.holds(partitionOf(stream, share.partitions));
  }

  #changed(stream: string, state: Tracked, event: RecordedEvent): void {
    if (stream.startsWith("certificate-")) {
      this.#lastEvent.set(stream, { id: event.id, metadata: event.metadata });
      const certificate = state as TrackedCertificate | undefined;
      if (certificate) this.#certificateBySecret.set(this.#secretStreamOf(certificate), stream);
      if (this.#caughtUp) this.#replan(stream, certificate);
      return;
    }
    const certificateStream = this.#certificateBySecret.get(stream);
    if (certificateStream) this.#lastEvent.set(certificateStream, { id: event.id, metadata: event.metadata });
    if (certificateStream && this.#caughtUp) {
      this.#replan(
        certificateStream,
        this.#projection.get(certificateStream) as TrackedCertificate | undefined,
      );
    }
  }

  #secretStreamOf(certificate: TrackedCertificate): string {
    return streams.secret(certificate.namespace, certificate.spec.secretName);
  }

  #plan(stream: string, certificate: TrackedCertificate): RenewalPlan {
    const secret = this.#projection.get(this.#secretStreamOf(certificate)) as SecretFacts | undefined;
    return planRenewal(certificate, secret, stream, this.#options.config, this.#options.clock.now());
  }

  #replan(stream: string, certificate: TrackedCertificate | undefined): void {
    if (certificate?.status !== "active") {
      this.#heap.cancel(stream);
      return;
    }
    const plan = this.#plan(stream, certificate);
    const hasWork =
      plan.trigger !== undefined || plan.recordRenewal !== undefined || plan.recordRetry !== undefined;
    const at = hasWork ? this.#options.clock.now().getTime() : plan.wakeAt;
    if (hasWork) this.#followingEvent.add(stream);
    else this.#followingEvent.delete(stream);
    if (at === undefined) this.#heap.cancel(stream);
    else this.#schedule(stream, at);
  }

  #schedule(stream: string, at: number): void {
    this.#heap.schedule(stream, at);
    if (this.#armedAt === undefined || at < this.#armedAt) this.#wake.abort();
  }

  async #run(): Promise<void> {
    const { clock } = this.#options;
    while (!this.#stopped) {
      for (const stream of this.#heap.takeDue(clock.now().getTime())) {
        if (this.#stopped) return;
        await this.#fire(stream);
      }
      const next = this.#heap.peek();
      this.#wake = new AbortController();
      this.#armedAt = next ?? Number.POSITIVE_INFINITY;
      if (this.#stopped) return;
      await (next === undefined
        ? aborted(this.#wake.signal)
        : clock.sleepUntil(new Date(next), this.#wake.signal));
      this.#armedAt = undefined;
    }
  }

  /**
   * Work continues the chain of the event it follows (a new spec, a deleted secret, an issuance),
   * so one apply's consequences share its correlation and trace; a start-up resume that has no
   * event in hand starts its own.
   */
  #contextFor(stream: string): CommandContext {
    const cause = this.#lastEvent.get(stream);
    const actor = this.#options.handles.actor;
    return cause ? contextFromEvent(cause, actor) : startedContext({ id: this.#options.newId(), actor });
  }

  async #fire(stream: string): Promise<void> {
    const certificate = this.#projection.get(stream) as TrackedCertificate | undefined;
    if (certificate?.status !== "active") return;
    if (!this.#mine(stream)) {
      // Another instance's to fire. Its work replans this one soon; should the partition come here
      // instead, gaining it plans it again; the retry covers a lease renewed just after the wake.
      this.#schedule(stream, this.#options.clock.now().getTime() + RETRY_AFTER_ERROR_MS);
      return;
    }
    const plan = this.#plan(stream, certificate);
    // Work an event asked for continues that event's trace; work time asked for (a renewal due
    // weeks after the apply) is a trace of its own, linked to the event it follows from.
    const cause = this.#lastEvent.get(stream)?.metadata.traceparent;
    const followsEvent = this.#followingEvent.delete(stream);
    const { namespace, name } = parseStreamName(stream);
    try {
      await inSpan(
        followsEvent ? "renewal-scheduler reconcile" : "renewal-scheduler timer",
        {
          ...(followsEvent ? { parent: cause } : { root: true, links: [cause] }),
          attributes: {
            "certplane.certificate.namespace": namespace ?? "",
            "certplane.certificate.name": name,
            ...(plan.trigger ? { "certplane.trigger.reason": plan.trigger.reason } : {}),
          },
        },
        () =>
          handleCertificateDue(
            this.#options.handles.runner,
            stream,
            certificate,
            plan,
            this.#contextFor(stream),
          ),
      );
      if (plan.trigger) {
        this.#options.logger.info("reissue triggered", { namespace, name, reason: plan.trigger.reason });
      }
      // Events from these commands replan through the projection; until then, keep any future wake.
      if (plan.wakeAt !== undefined && plan.wakeAt > this.#options.clock.now().getTime()) {
        this.#schedule(stream, plan.wakeAt);
      }
    } catch (error) {
      this.#options.logger.warn("renewal step failed, will retry", { stream, error });
      this.#schedule(stream, this.#options.clock.now().getTime() + RETRY_AFTER_ERROR_MS);
    }
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
