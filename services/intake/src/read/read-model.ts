import type { Decider, DomainEvent, RecordedEvent } from "@certplane/domain";
import type {
  CertificateRequestState,
  CertificateState,
  ChallengeState,
  IssuerState,
  OrderState,
  PublicationEvent,
  PublicationState,
  SecretState,
  SecretTargetState,
  StreamCategory,
} from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  challengeDecider,
  evolvePublication,
  initialPublicationState,
  issuerDecider,
  orderDecider,
  parsePublicationStream,
  secretDecider,
  secretTargetDecider,
  withCompanionCategories,
} from "@certplane/domain/model";
import type { EventStore, Subscription } from "@certplane/event-store";
import { subscribeCaughtUp } from "@certplane/event-store";
import { Projection } from "@certplane/runtime";
import type { EventIndexSnapshot } from "./event-index.ts";
import { EventIndex } from "./event-index.ts";

/**
 * Bumped whenever a fold changes what it makes of the same events, or the snapshot file's layout
 * changes, so an older snapshot is ignored (and the read models rebuilt from every event) instead
 * of answering as the old code did.
 */
export const readModelSnapshotSchema = 2;

export interface ReadModelSnapshot {
  readonly schema: number;
  /** The store position of the last event the snapshot includes. */
  readonly position: string;
  readonly projections: Readonly<Record<string, readonly (readonly [string, unknown])[]>>;
  readonly events: EventIndexSnapshot;
}

function projectionOf<TEvent extends DomainEvent, TState>(
  category: StreamCategory,
  decider: Pick<Decider<unknown, TEvent, TState>, "initialState" | "evolve">,
): Projection<TState> {
  return new Projection<TState>({
    // An object folded from two owners' streams is listed with both (a Certificate's issuance record).
    categories: withCompanionCategories([category]),
    initialState: () => decider.initialState(),
    evolve: (state, event) => decider.evolve(state, event as TEvent),
  });
}

/**
 * In-memory folds of every stored object, for listing. They trail the store by a moment; reads of
 * one named object go to its stream instead, so they see the latest write.
 */
export class ReadModel {
  readonly certificates: Projection<CertificateState> = projectionOf("certificate", certificateDecider);
  readonly requests: Projection<CertificateRequestState> = projectionOf(
    "certificateRequest",
    certificateRequestDecider,
  );
  readonly issuers: Projection<IssuerState> = projectionOf("issuer", issuerDecider);
  readonly clusterIssuers: Projection<IssuerState> = projectionOf("clusterIssuer", issuerDecider);
  readonly secrets: Projection<SecretState> = projectionOf("secret", secretDecider);
  readonly orders: Projection<OrderState> = projectionOf("order", orderDecider);
  readonly challenges: Projection<ChallengeState> = projectionOf("challenge", challengeDecider);
  readonly secretTargets: Projection<SecretTargetState> = projectionOf("secretTarget", secretTargetDecider);
  readonly publications: Projection<PublicationState> = new Projection<PublicationState>({
    categories: ["publication"],
    initialState: (stream) => initialPublicationState(parsePublicationStream(stream).target),
    evolve: (state, event) => evolvePublication(state, event as PublicationEvent),
  });

  /** Every event by id and the streams made for each object: history's causes and `--related`. */
  readonly events = new EventIndex();
  readonly #indexEvents: boolean;
  /** The projections that follow each category, found once per category rather than per event. */
  readonly #byCategory = new Map<string, Projection<unknown>[]>();
  #subscription: Subscription | undefined;
  #position: string | undefined;

  /**
   * `indexEvents: false` for a one-off model of a past instant: get, describe and replay read
   * objects from the projections and events from their streams, so indexing every event would
   * only cost time and memory.
   */
  constructor(options: { readonly indexEvents?: boolean } = {}) {
    this.#indexEvents = options.indexEvents ?? true;
  }

  #all(): Projection<unknown>[] {
    return [
      this.certificates,
      this.requests,
      this.issuers,
      this.clusterIssuers,
      this.secrets,
      this.orders,
      this.challenges,
      this.secretTargets,
      this.publications,
    ] as Projection<unknown>[];
  }

  /**
   * Folds one event into every projection that follows its category, without a subscription: how
   * a one-off read model of a past instant is built (`--at`, replay).
   */
  fold(event: RecordedEvent): void {
    const category = event.stream.slice(0, event.stream.indexOf("-"));
    let following = this.#byCategory.get(category);
    if (following === undefined) {
      following = this.#all().filter((projection) => projection.categories.includes(category));
      this.#byCategory.set(category, following);
    }
    for (const projection of following) projection.apply(event);
    if (this.#indexEvents) this.events.add(event);
  }

  #named(): Readonly<Record<string, Projection<unknown>>> {
    const all = this.#all();
    return Object.fromEntries(
      (
        [
          "certificates",
          "requests",
          "issuers",
          "clusterIssuers",
          "secrets",
          "orders",
          "challenges",
          "secretTargets",
          "publications",
        ] as const
      ).map((name, index) => [name, all[index]!]),
    );
  }

  /** The store position of the last event folded in; undefined before the first. */
  get position(): string | undefined {
    return this.#position;
  }

  /**
   * Folds every stored event (one subscription, in store order) and keeps folding new ones;
   * resolves once caught up. With a snapshot it starts from the snapshot's entries and folds only
   * what came after the position the snapshot includes.
   */
  async start(
    store: EventStore,
    options: {
      readonly snapshot?: ReadModelSnapshot;
      readonly onProgress?: (folded: number) => void;
      /** Events between two onProgress calls (default 10,000). */
      readonly progressEvery?: number;
    } = {},
  ): Promise<void> {
    const { snapshot, onProgress, progressEvery = 10_000 } = options;
    if (snapshot !== undefined) {
      const named = this.#named();
      for (const [name, entries] of Object.entries(snapshot.projections)) named[name]?.restore(entries);
      this.events.restore(snapshot.events);
      this.#position = snapshot.position;
    }
    let folded = 0;
    this.#subscription = await subscribeCaughtUp(store, {
      from: snapshot === undefined ? "start" : { after: snapshot.position },
      handler: async (event) => {
        this.fold(event);
        this.#position = event.position;
        folded += 1;
        if (folded % progressEvery === 0) onProgress?.(folded);
      },
    });
    onProgress?.(folded);
  }

  /** What the projections hold and the position it includes; only an optimisation of `start`. */
  snapshot(): ReadModelSnapshot | undefined {
    if (this.#position === undefined) return undefined;
    return {
      schema: readModelSnapshotSchema,
      position: this.#position,
      projections: Object.fromEntries(
        Object.entries(this.#named()).map(([name, projection]) => [name, projection.snapshotEntries()]),
      ),
      events: this.events.snapshot(),
    };
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
    this.events.releaseWaiters();
  }
}
