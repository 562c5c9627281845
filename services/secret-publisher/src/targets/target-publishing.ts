// Keeps every SecretTarget resource's copies current: a worker per target, fed by a subscription
// (from the start, not durable: the publication streams are what is remembered) to the targets,
// the secrets and the Certificates (whose labels and annotations select targets).
import type { RecordedEvent } from "@certplane/domain";
import type { CertificateEvent, SecretTargetEvent, SecretTargetState } from "@certplane/domain/model";
import {
  evolveSecretTarget,
  initialSecretTargetState,
  parseStreamName,
  streams,
} from "@certplane/domain/model";
import type { EventStore, Subscription } from "@certplane/event-store";
import { partitionOf, subscribeCaughtUp } from "@certplane/event-store";
import type { Logger, TimerClock, WorkShare } from "@certplane/runtime";
import { contextFromEvent, startedContext, toDomainEvent } from "@certplane/runtime";
import type { PublisherContext } from "../publisher-context.ts";
import { PublicationWorker } from "./publication-worker.ts";
import { credentialStreamOf, destinationsOf } from "./target-destinations.ts";

export interface TargetPublishingOptions {
  readonly store: EventStore;
  readonly ctx: PublisherContext;
  readonly clock: TimerClock;
  readonly logger: Logger;
  readonly clusterResourceNamespace: string;
  /** When instances share the work: each worker publishes the secrets of the partitions held here. */
  readonly share?: WorkShare;
}

export class TargetPublishing {
  readonly #options: TargetPublishingOptions;
  readonly #targets = new Map<string, SecretTargetState>();
  readonly #workers = new Map<string, PublicationWorker>();
  /** Every secret stream seen, so a new or changed target can be brought up to date on all of them. */
  readonly #secrets = new Set<string>();
  #subscription: Subscription | undefined;
  #unwatchPartitions: (() => void) | undefined;

  constructor(options: TargetPublishingOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const share = this.#options.share;
    // A partition that comes here brings its secrets: every target is brought up to date on them.
    this.#unwatchPartitions = share?.onChange(async ({ gained }) => {
      const context = startedContext({ id: this.#options.ctx.newId(), actor: this.#options.ctx.actor });
      for (const secret of this.#secrets) {
        if (!gained.includes(partitionOf(secret, share.partitions))) continue;
        for (const worker of this.#workers.values()) worker.enqueue(secret, context);
      }
    });
    this.#subscription = await subscribeCaughtUp(this.#options.store, {
      from: "start",
      categories: ["secretTarget", "secret", "certificate"],
      handler: async (event) => this.#apply(event),
    });
  }

  /** Every secret stream seen so far: after start, all those in the store when it started. */
  secretStreams(): readonly string[] {
    return [...this.#secrets];
  }

  /** Resolves when every worker's queue is empty. */
  async idle(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((worker) => worker.idle()));
  }

  async stop(): Promise<void> {
    this.#unwatchPartitions?.();
    await this.#subscription?.stop();
    await Promise.all([...this.#workers.values()].map((worker) => worker.stop()));
  }

  #apply(event: RecordedEvent): void {
    const { category } = parseStreamName(event.stream);
    const context = contextFromEvent(event, this.#options.ctx.actor);
    if (category === "secretTarget") {
      this.#targetChanged(event);
      return;
    }
    if (category === "secret") {
      this.#secrets.add(event.stream);
      for (const worker of this.#workers.values()) {
        if (credentialStreamOf(worker.spec, this.#options.clusterResourceNamespace) === event.stream) {
          worker.invalidate();
          for (const secret of this.#secrets) worker.enqueue(secret, context);
        }
        worker.enqueue(event.stream, context);
      }
      return;
    }
    const domain = toDomainEvent<CertificateEvent>(event);
    if (category === "certificate" && domain.type === "CertificateApplied") {
      const { namespace = "default" } = parseStreamName(event.stream);
      const secretStream = streams.secret(namespace, domain.data.spec.secretName);
      for (const worker of this.#workers.values()) worker.enqueue(secretStream, context);
    }
  }

  #targetChanged(event: RecordedEvent): void {
    const name = parseStreamName(event.stream).name;
    const previous = this.#targets.get(name) ?? initialSecretTargetState();
    const next = evolveSecretTarget(previous, toDomainEvent<SecretTargetEvent>(event));
    this.#targets.set(name, next);
    const context = contextFromEvent(event, this.#options.ctx.actor);
    const old = this.#workers.get(name);
    if (next.status === "deleted") {
      old?.retire();
      for (const secret of this.#secrets) old?.enqueue(secret, context);
      return;
    }
    if (next.status !== "active") return;
    if (old !== undefined) void old.stop();
    const { ctx, clock, logger, clusterResourceNamespace, share } = this.#options;
    const worker = new PublicationWorker({
      ...(share === undefined ? {} : { share }),
      name,
      spec: next.spec,
      generation: next.meta.generation,
      ctx,
      clock,
      logger,
      destinations: () =>
        destinationsOf({ runner: ctx.runner, kek: ctx.kek, clusterResourceNamespace }, name, next.spec),
    });
    this.#workers.set(name, worker);
    worker.start();
    for (const secret of this.#secrets) worker.enqueue(secret, context);
  }
}
