// One SecretTarget's publisher: a queue of Secrets to bring up to date on that target, worked one
// at a time. Each target has its own worker, so a cluster that is down holds up only its own queue;
// its failures are recorded with a retry time and retried on the injected clock.

import type { SecretTargetSpec } from "@certplane/domain";
import { ForbiddenError, isCertplaneError, ValidationError } from "@certplane/domain";
import type { PublicationCommand, PublicationState, SecretState } from "@certplane/domain/model";
import {
  certificateDecider,
  parseStreamName,
  publicationBackoffPolicy,
  publicationDecider,
  secretDecider,
  secretTargetStatusDecider,
  streams,
  targetSelects,
} from "@certplane/domain/model";
import { partitionOf } from "@certplane/event-store";
import { parseCertificate } from "@certplane/pki";
import type { CommandContext, Logger, TimerClock, WorkShare } from "@certplane/runtime";
import { startedContext } from "@certplane/runtime";
import { inSpan, recordingTraceparent, SpanKind } from "@certplane/telemetry";
import type { ObservedCopy } from "../adapters/kubernetes-drift-watch.ts";
import { KubernetesRefusedError, KubernetesTlsError } from "../adapters/kubernetes-errors.ts";
import { publishedSecretOf } from "../handlers/secret-changed.ts";
import type { PublisherContext } from "../publisher-context.ts";
import type { SecretRef } from "../secrets/secret-target.ts";
import type { BuiltTarget, TargetDestination } from "./target-destinations.ts";

export interface PublicationWorkerOptions {
  readonly name: string;
  readonly spec: SecretTargetSpec;
  /** The spec's generation, which the target's readiness is recorded for. */
  readonly generation: number;
  readonly ctx: PublisherContext;
  readonly clock: TimerClock;
  readonly logger: Logger;
  /** Builds the adapters; called again after a failure, so fixed credentials are picked up. */
  readonly destinations: () => Promise<BuiltTarget>;
  /** When instances share the work: only the secrets of the partitions this one holds are its to publish. */
  readonly share?: WorkShare;
}

interface QueuedWork {
  /** The change that queued it, the cause of what gets recorded. */
  readonly context?: CommandContext;
  /** What the destination was seen holding; a copy that differs from the record is written again. */
  readonly observed?: ObservedCopy;
}

/** How long a dropped watch of a cluster waits before it lists again. */
const WATCH_PAUSE_MS = 1_000;

type FailureFields = Pick<
  Extract<PublicationCommand, { type: "RecordPublicationFailed" }>,
  "reason" | "message" | "retryable" | "policy"
>;

type PresentSecret = Extract<SecretState, { status: "present" }>;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class PublicationWorker {
  readonly name: string;
  readonly #options: PublicationWorkerOptions;
  /** Secrets waiting, with the context of the change that queued them (causation of the record). */
  readonly #queue = new Map<string, QueuedWork>();
  readonly #retries = new Map<string, AbortController>();
  #built: Promise<BuiltTarget> | undefined;
  #watch: { stop(): void } | undefined;
  #draining: Promise<void> | undefined;
  /** The readiness last recorded (or found recorded), so a steady state writes nothing. */
  #readiness: string | undefined;
  #check: AbortController | undefined;
  #checkFailures = 0;
  #retired = false;
  #stopped = false;

  constructor(options: PublicationWorkerOptions) {
    this.name = options.name;
    this.#options = options;
  }

  get spec(): SecretTargetSpec {
    return this.#options.spec;
  }

  /** Brings `secretStream` up to date on this target soon; queuing it twice does the work once. */
  enqueue(secretStream: string, context?: CommandContext, observed?: ObservedCopy): void {
    if (this.#stopped || !this.#mine(secretStream)) return;
    this.#retries.get(secretStream)?.abort();
    this.#retries.delete(secretStream);
    const queued = this.#queue.get(secretStream);
    this.#queue.set(secretStream, {
      ...((context ?? queued?.context) ? { context: context ?? queued?.context } : {}),
      ...((observed ?? queued?.observed) ? { observed: observed ?? queued?.observed } : {}),
    });
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#queue.size > 0 && !this.#stopped) this.enqueue([...this.#queue.keys()][0]!);
    });
  }

  /**
   * Builds the adapters and checks the destination now, so the cluster's watch runs and the
   * target's readiness is known even while nothing needs writing.
   */
  start(): void {
    this.#check?.abort();
    void this.#checkDestinations();
  }

  /** Credentials changed: build the adapters again before the next write. */
  invalidate(): void {
    this.#watch?.stop();
    this.#watch = undefined;
    this.#close(this.#built);
    this.#built = undefined;
    this.start();
  }

  /** The target was deleted: what it holds is unpublished (and removed if its policy says so). */
  retire(): void {
    this.#retired = true;
  }

  /** Resolves when the queue is empty; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#check?.abort();
    this.#watch?.stop();
    for (const retry of this.#retries.values()) retry.abort();
    this.#retries.clear();
    this.#queue.clear();
    await this.#draining;
    this.#close(this.#built);
  }

  /** Releases what a built target holds open (a NATS connection); a write still in flight is retried. */
  #close(built: Promise<BuiltTarget> | undefined): void {
    built?.then(
      (target) =>
        target
          .close?.()
          .catch((error: unknown) =>
            this.#options.logger.warn("SecretTarget connection not closed", { target: this.name, error }),
          ),
      () => undefined,
    );
  }

  async #drain(): Promise<void> {
    for (;;) {
      const next = this.#queue.entries().next();
      if (next.done || this.#stopped) return;
      const [stream, work] = next.value;
      this.#queue.delete(stream);
      try {
        const queued =
          work.context ?? startedContext({ id: this.#options.ctx.newId(), actor: this.#options.ctx.actor });
        await inSpan(
          `publish ${this.name}`,
          {
            kind: SpanKind.PRODUCER,
            parent: queued.traceparent,
            attributes: { "certplane.secret_target": this.name, "certplane.stream": stream },
          },
          () => {
            // The records of this publication point at its span, when one is recorded.
            const traceparent = recordingTraceparent() ?? queued.traceparent;
            return this.#reconcile(
              stream,
              { ...queued, ...(traceparent ? { traceparent } : {}) },
              work.observed,
            );
          },
        );
      } catch (error) {
        // Recording the outcome itself failed (the store is away): try again on the clock.
        this.#options.logger.warn("publication not recorded, will retry", {
          target: this.name,
          stream,
          error,
        });
        this.#retryAt(stream, new Date(this.#options.clock.now().getTime() + publicationBackoffPolicy.minMs));
      }
    }
  }

  async #reconcile(secretStream: string, context: CommandContext, observed?: ObservedCopy): Promise<void> {
    const { runner } = this.#options.ctx;
    const { namespace = "", name } = parseStreamName(secretStream);
    const ref: SecretRef = { namespace, name };
    const publicationStream = streams.publication(namespace, name, this.name);
    const decider = publicationDecider(this.name);
    const [{ state: secret }, { state: publication }] = await Promise.all([
      runner.load(secretStream, secretDecider),
      runner.load(publicationStream, decider),
    ]);
    const record = (command: (now: string) => PublicationCommand) =>
      runner.execute(publicationStream, decider, (_state, now) => command(now.toISOString()), context);

    if (secret.status === "present" && (await this.#wants(secret))) {
      if (
        publication.published?.secretVersion === secret.version &&
        publication.failure === undefined &&
        (observed === undefined || holdsRecorded(publication, observed))
      )
        return;
      const serialNumber = serialOf(secret);
      const content = {
        secretVersion: secret.version,
        ...(serialNumber === undefined ? {} : { serialNumber }),
      };
      try {
        const copies = await this.#write(ref, secret);
        await record((now) => ({ type: "RecordPublished", copies, now, ...content }));
        if (this.#readiness !== "True") await this.#recordReadiness(undefined);
      } catch (error) {
        await this.#recordFailure(secretStream, error, (failure) =>
          record((now) => ({ type: "RecordPublicationFailed", ...failure, ...content, now })),
        );
      }
      return;
    }
    if (publication.published === undefined && publication.failure === undefined) return;
    try {
      if (this.#options.spec.deletionPolicy === "Delete") await this.#remove(ref, publication);
      await record((now) => ({
        type: "RecordUnpublished",
        reason: this.#retired
          ? "SecretTargetDeleted"
          : secret.status === "present"
            ? "NotSelected"
            : "SecretDeleted",
        now,
      }));
    } catch (error) {
      const secretVersion = secret.status === "present" ? secret.version : 0;
      await this.#recordFailure(secretStream, error, (failure) =>
        record((now) => ({ type: "RecordPublicationFailed", ...failure, secretVersion, now })),
      );
    }
  }

  /** Only a Certificate's Secret is published, and only while this target selects that Certificate. */
  async #wants(secret: PresentSecret): Promise<boolean> {
    if (this.#retired || secret.owner.kind !== "Certificate") return false;
    const { state } = await this.#options.ctx.runner.load(
      streams.certificate(secret.namespace, secret.owner.name),
      certificateDecider,
    );
    if (state.status !== "active" || state.meta.uid !== secret.owner.uid) return false;
    return targetSelects(
      { name: this.name, spec: this.#options.spec },
      { namespace: secret.namespace, labels: state.meta.labels, annotations: state.meta.annotations },
    );
  }

  async #write(ref: SecretRef, secret: PresentSecret) {
    const published = publishedSecretOf(this.#options.ctx, ref, secret);
    const copies = [];
    for (const destination of await this.#destinationsNow()) {
      const result = await destination.writer.write(published);
      const resourceVersion = result?.resourceVersion;
      copies.push({
        location: destination.location,
        namespace: destination.namespaceFor(ref.namespace),
        name: ref.name,
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      });
    }
    return copies;
  }

  async #remove(ref: SecretRef, publication: PublicationState): Promise<void> {
    if (publication.published === undefined) return;
    for (const destination of await this.#destinationsNow()) await destination.writer.delete(ref);
  }

  async #destinationsNow(): Promise<readonly TargetDestination[]> {
    if (this.#built === undefined) {
      const building = this.#options.destinations();
      this.#built = building;
      building.then(
        (built) => this.#startWatch(built),
        () => undefined,
      );
    }
    try {
      return (await this.#built).destinations;
    } catch (error) {
      this.#built = undefined;
      throw error;
    }
  }

  #startWatch(built: BuiltTarget): void {
    if (this.#stopped || built.watch === undefined || this.#watch !== undefined) return;
    const { clock, logger } = this.#options;
    this.#watch = built.watch({
      logger,
      pause: (signal) => clock.sleepUntil(new Date(clock.now().getTime() + WATCH_PAUSE_MS), signal),
      onObserved: (copy) => {
        if (this.#retired) return;
        this.enqueue(streams.secret(copy.sourceNamespace, copy.name), undefined, copy);
      },
    });
  }

  async #recordFailure(
    secretStream: string,
    error: unknown,
    record: (failure: FailureFields) => Promise<{ readonly state: PublicationState }>,
  ): Promise<void> {
    // An error certplane did not classify is treated as passing (a dropped connection); a typed
    // one says whether waiting can help (a missing permission cannot).
    const retryable = isCertplaneError(error) ? error.retryable : true;
    const reason = isCertplaneError(error) ? `Publish${pascal(error.code)}` : "PublishError";
    this.#options.logger.warn("secret not published", { target: this.name, stream: secretStream, error });
    // A failure of the destination itself, not of this Secret, is also the target's condition.
    if (destinationReason(error) !== undefined) await this.#recordReadiness(error);
    const { state } = await record({
      reason,
      message: `SecretTarget ${this.name}: ${message(error)}`,
      retryable,
      policy: publicationBackoffPolicy,
    });
    if (state.failure?.retryAt !== undefined) this.#retryAt(secretStream, new Date(state.failure.retryAt));
  }

  async #checkDestinations(): Promise<void> {
    if (this.#stopped) return;
    try {
      for (const destination of await this.#destinationsNow()) await destination.writer.probe?.();
      this.#checkFailures = 0;
      await this.#recordReadiness(undefined);
    } catch (error) {
      this.#options.logger.warn("SecretTarget not usable", { target: this.name, error });
      await this.#recordReadiness(error).catch((recordError: unknown) =>
        this.#options.logger.warn("SecretTarget readiness not recorded", {
          target: this.name,
          error: recordError,
        }),
      );
      // Checked again with backoff: an API server that comes back makes the target Ready again.
      const { minMs, maxMs } = publicationBackoffPolicy;
      const delay = Math.min(minMs * 2 ** this.#checkFailures, maxMs);
      this.#checkFailures += 1;
      const check = new AbortController();
      this.#check = check;
      const { clock } = this.#options;
      void clock.sleepUntil(new Date(clock.now().getTime() + delay), check.signal).then(() => {
        if (!check.signal.aborted) void this.#checkDestinations();
      });
    }
  }

  /** `failure` undefined: every destination answered as it should. */
  async #recordReadiness(failure: unknown): Promise<void> {
    if (this.#retired || this.#stopped) return;
    const status = failure === undefined ? "True" : "False";
    const reason = failure === undefined ? "Ready" : (destinationReason(failure) ?? "InvalidConfiguration");
    const text =
      failure === undefined
        ? `SecretTarget ${this.name}: its destination is reachable and its credentials may write Secrets`
        : `SecretTarget ${this.name}: ${message(failure)}`;
    const { runner, newId, actor } = this.#options.ctx;
    await runner.execute(
      streams.secretTargetStatus(this.name),
      secretTargetStatusDecider,
      (_state, now) => ({
        type: "SetSecretTargetReadiness",
        generation: this.#options.generation,
        status,
        reason,
        message: text,
        now: now.toISOString(),
      }),
      startedContext({ id: newId(), actor }),
    );
    this.#readiness = status;
  }

  /** One instance publishes each secret (and so writes its publication streams): the holder of its partition. */
  #mine(secretStream: string): boolean {
    const share = this.#options.share;
    return share === undefined || share.holds(partitionOf(secretStream, share.partitions));
  }

  #retryAt(secretStream: string, at: Date): void {
    if (this.#stopped) return;
    this.#retries.get(secretStream)?.abort();
    const retry = new AbortController();
    this.#retries.set(secretStream, retry);
    void this.#options.clock.sleepUntil(at, retry.signal).then(() => {
      if (retry.signal.aborted) return;
      this.#retries.delete(secretStream);
      this.enqueue(secretStream);
    });
  }
}

/** Whether the destination holds the copy the publication recorded (same resourceVersion, not deleted). */
function holdsRecorded(publication: PublicationState, observed: ObservedCopy): boolean {
  const recorded = publication.published?.copies.find(
    (copy) => copy.namespace === observed.namespace && copy.name === observed.name,
  );
  return (
    recorded !== undefined &&
    observed.resourceVersion !== undefined &&
    recorded.resourceVersion === observed.resourceVersion
  );
}

/**
 * The reason a failure is the destination's own (every Secret would fail the same way), or
 * undefined when it concerns one Secret (a foreign Secret, a missing namespace, too large).
 */
function destinationReason(error: unknown): string | undefined {
  if (error instanceof KubernetesTlsError) return "TLSError";
  if (error instanceof ValidationError && error.issues.some((i) => i.field.startsWith("spec.kubernetes")))
    return "InvalidKubeconfig";
  if (error instanceof KubernetesRefusedError && error.status === 401) return "Unauthorized";
  if (isCertplaneError(error) && (error.code === "TRANSIENT" || error.code === "TIMEOUT"))
    return "Unreachable";
  if (error instanceof ForbiddenError && !(error instanceof KubernetesRefusedError)) return "Forbidden";
  return undefined;
}

function pascal(code: string): string {
  return code
    .toLowerCase()
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

function serialOf(secret: PresentSecret): string | undefined {
  const pem = secret.content.data["tls.crt"];
  if (pem === undefined) return undefined;
  try {
    return parseCertificate(pem, "tls.crt").serialNumber;
  } catch {
    return undefined;
  }
}
