// The kinds intake keeps in streams, each read the same two ways: one object from its stream, or
// all of them from the read model.
import type { ResourceKind, ResourceObject } from "@certplane/api";
import type { Decider, DomainEvent } from "@certplane/domain";
import type {
  CertificateRequestState,
  CertificateState,
  ChallengeState,
  IssuerState,
  OrderState,
  SecretState,
  SecretTargetState,
} from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  challengeDecider,
  issuerDecider,
  orderDecider,
  parsePublicationStream,
  secretDecider,
  secretTargetDecider,
} from "@certplane/domain/model";
import type { AggregateRunner, Projection } from "@certplane/runtime";
import { streamOf } from "../kinds.ts";
import { publicationOfCertificate } from "./certificate-publication.ts";
import type { ReadModel } from "./read-model.ts";
import {
  certificateObject,
  certificateRequestObject,
  challengeObject,
  issuerObject,
  orderObject,
  secretObject,
  secretTargetObject,
} from "./resource-objects.ts";

export type StoredKindName = Exclude<ResourceKind, "Namespace" | "Ingress">;

export interface StoredKind {
  /** The object as its stream says now; undefined when it does not exist (or was deleted). */
  read(
    runner: AggregateRunner,
    readModel: ReadModel,
    name: string,
    namespace: string | undefined,
    now: Date,
  ): Promise<ResourceObject | undefined>;
  list(readModel: ReadModel, now: Date): ResourceObject[];
  /** The object as a read model holds it: how a past instant's read model answers for one name. */
  find(
    readModel: ReadModel,
    name: string,
    namespace: string | undefined,
    now: Date,
  ): ResourceObject | undefined;
}

function storedKind<TEvent extends DomainEvent, TState>(
  kind: StoredKindName,
  decider: Pick<Decider<unknown, TEvent, TState>, "initialState" | "evolve">,
  projection: (readModel: ReadModel) => Projection<TState>,
  /** The read model joins what other owners record about the object (a Certificate's publications). */
  render: (state: TState, now: Date, readModel: ReadModel) => ResourceObject | undefined,
): StoredKind {
  return {
    async read(runner, readModel, name, namespace, now) {
      const { state } = await runner.load(streamOf(kind, name, namespace), decider);
      return render(state, now, readModel);
    },
    list(readModel, now) {
      return [...projection(readModel).entries()].flatMap(([, state]) => render(state, now, readModel) ?? []);
    },
    find(readModel, name, namespace, now) {
      const state = projection(readModel).get(streamOf(kind, name, namespace));
      return state === undefined ? undefined : render(state, now, readModel);
    },
  };
}

const renderCertificate = (state: CertificateState, now: Date, readModel: ReadModel) =>
  state.status === "active"
    ? certificateObject(state, now, publicationOfCertificate(readModel, state, now))
    : undefined;
const renderSecretTarget = (state: SecretTargetState, _now: Date, readModel: ReadModel) => {
  if (state.status !== "active") return undefined;
  const publications = [...readModel.publications.entries()].flatMap(([stream, publication]) =>
    parsePublicationStream(stream).target === state.meta.name ? [publication] : [],
  );
  return secretTargetObject(state, publications);
};
const renderRequest = (state: CertificateRequestState) =>
  state.status === "present" ? certificateRequestObject(state) : undefined;
const renderIssuer = (kind: "Issuer" | "ClusterIssuer") => (state: IssuerState) =>
  state.status === "active" ? issuerObject(kind, state) : undefined;
const renderSecret = (state: SecretState) => (state.status === "present" ? secretObject(state) : undefined);
const renderOrder = (state: OrderState) => (state.status === "present" ? orderObject(state) : undefined);
const renderChallenge = (state: ChallengeState) =>
  state.status === "present" ? challengeObject(state) : undefined;

export const storedKinds: Readonly<Record<StoredKindName, StoredKind>> = {
  Certificate: storedKind("Certificate", certificateDecider, (m) => m.certificates, renderCertificate),
  CertificateRequest: storedKind(
    "CertificateRequest",
    certificateRequestDecider,
    (m) => m.requests,
    renderRequest,
  ),
  Issuer: storedKind("Issuer", issuerDecider, (m) => m.issuers, renderIssuer("Issuer")),
  ClusterIssuer: storedKind(
    "ClusterIssuer",
    issuerDecider,
    (m) => m.clusterIssuers,
    renderIssuer("ClusterIssuer"),
  ),
  Secret: storedKind("Secret", secretDecider, (m) => m.secrets, renderSecret),
  Order: storedKind("Order", orderDecider, (m) => m.orders, renderOrder),
  Challenge: storedKind("Challenge", challengeDecider, (m) => m.challenges, renderChallenge),
  SecretTarget: storedKind("SecretTarget", secretTargetDecider, (m) => m.secretTargets, renderSecretTarget),
};

export function isStoredKind(kind: ResourceKind): kind is StoredKindName {
  return Object.hasOwn(storedKinds, kind);
}
