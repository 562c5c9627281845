// Every stored event by id, and which streams were made for which object, so a history can name
// each event's cause and follow a Certificate to everything issued for it, deleted objects included.
import type { RecordedEvent } from "@certplane/domain";
import type { SecretOwner } from "@certplane/domain/model";
import {
  objectStreamsOf,
  parsePublicationStream,
  parseStreamName,
  primaryStreamOf,
  requestAnnotations,
  streams,
} from "@certplane/domain/model";

export interface IndexedEvent {
  readonly stream: string;
  readonly type: string;
}

type Data = Readonly<Record<string, unknown>>;

/** The primary stream of the object `event` made its stream for, if it says (`undefined` otherwise). */
function parentOf(event: RecordedEvent): string | undefined {
  const data = (event.data ?? {}) as Data;
  const { category, namespace = "default" } = parseStreamName(event.stream);
  const meta = (data.meta ?? {}) as Data;
  switch (event.type) {
    case "CertificateRequestCreated": {
      const annotations = (meta.annotations ?? {}) as Readonly<Record<string, string>>;
      const certificate = annotations[requestAnnotations.certificateName];
      return certificate === undefined ? undefined : streams.certificate(namespace, certificate);
    }
    case "OrderCreated":
      return typeof meta.requestName === "string"
        ? streams.certificateRequest(namespace, meta.requestName)
        : undefined;
    case "ChallengeCreated":
      return typeof meta.orderName === "string" ? streams.order(namespace, meta.orderName) : undefined;
    case "SecretWritten": {
      const owner = data.owner as SecretOwner | undefined;
      if (owner?.kind === "Certificate") return streams.certificate(namespace, owner.name);
      if (owner?.kind === "NextPrivateKey") return streams.certificate(namespace, owner.certificateName);
      return undefined;
    }
    default:
      if (category !== "publication") return undefined;
      return streams.secret(namespace, parsePublicationStream(event.stream).secretName);
  }
}

export interface EventIndexSnapshot {
  readonly events: readonly (readonly [string, IndexedEvent])[];
  readonly children: readonly (readonly [string, readonly string[]])[];
}

export class EventIndex {
  readonly #events = new Map<string, IndexedEvent>();
  readonly #children = new Map<string, Set<string>>();
  readonly #waiters = new Set<{ matches(event: RecordedEvent): boolean; cancel(): void }>();

  /** How many events are indexed: every event the read model has folded. */
  get size(): number {
    return this.#events.size;
  }

  add(event: RecordedEvent): void {
    this.#events.set(event.id, { stream: event.stream, type: event.type });
    const parent = parentOf(event);
    if (parent !== undefined) {
      const primary = primaryStreamOf(event.stream);
      const children = this.#children.get(parent) ?? new Set<string>();
      children.add(primary);
      this.#children.set(parent, children);
    }
    for (const waiter of [...this.#waiters]) if (waiter.matches(event)) waiter.cancel();
  }

  /**
   * Resolves when an event that `matches` is indexed, or after `timeoutMs`: what a history
   * long-poll waits on. Waiting starts at the call, so read after calling to miss nothing.
   */
  nextEvent(
    matches: (event: RecordedEvent) => boolean,
    timeoutMs: number,
  ): { done: Promise<void>; cancel(): void } {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const timer = setTimeout(() => cancel(), timeoutMs);
    timer.unref?.();
    const cancel = () => {
      clearTimeout(timer);
      this.#waiters.delete(waiter);
      finish();
    };
    const waiter = { matches, cancel };
    this.#waiters.add(waiter);
    return { done, cancel };
  }

  /** Ends every wait now: the index is being replaced, and a long-poll answers from its successor. */
  releaseWaiters(): void {
    for (const waiter of [...this.#waiters]) waiter.cancel();
  }

  /** The index as plain JSON, for a snapshot. */
  snapshot(): EventIndexSnapshot {
    return {
      events: [...this.#events.entries()],
      children: [...this.#children.entries()].map(([parent, children]) => [parent, [...children]]),
    };
  }

  restore(snapshot: EventIndexSnapshot): void {
    this.#events.clear();
    this.#children.clear();
    for (const [id, event] of snapshot.events) this.#events.set(id, event);
    for (const [parent, children] of snapshot.children) this.#children.set(parent, new Set(children));
  }

  event(id: string): IndexedEvent | undefined {
    return this.#events.get(id);
  }

  /** Every stream of `stream`'s object and of the objects made for it, transitively. */
  relatedStreams(stream: string): string[] {
    const seen = new Set<string>();
    const visit = (primary: string) => {
      if (seen.has(primary)) return;
      seen.add(primary);
      for (const child of this.#children.get(primary) ?? []) visit(child);
    };
    visit(primaryStreamOf(stream));
    return [...seen].flatMap((primary) => objectStreamsOf(primary));
  }
}
