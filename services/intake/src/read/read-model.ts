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
import type { EventStore } from "@certplane/event-store";
import { Projection } from "@certplane/runtime";
import { EventIndex } from "./event-index.ts";

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
    for (const projection of this.#all()) {
      if (projection.categories.includes(category)) projection.apply(event);
    }
    this.events.add(event);
  }

  /** Resolves once every projection has folded what the store held at start. */
  async start(store: EventStore): Promise<void> {
    await Promise.all([
      ...this.#all().map((projection) => projection.start(store)),
      this.events.start(store),
    ]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#all().map((projection) => projection.stop()), this.events.stop()]);
  }
}
