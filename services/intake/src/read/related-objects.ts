// What `describe` shows next to an object, following cert-manager's ownership chain
// Certificate → CertificateRequest → Order → Challenge (what cmctl status walks).
import type { ResourceKind, ResourceObject } from "@certplane/api";
import type { ExistingCertificateRequest, ExistingChallenge, ExistingOrder } from "@certplane/domain/model";
import { requestAnnotations, streams } from "@certplane/domain/model";
import type { ReadModel } from "./read-model.ts";
import { certificateRequestObject, challengeObject, orderObject } from "./resource-objects.ts";

export interface Related {
  readonly objects: readonly ResourceObject[];
  /** The streams of the objects below this one; their events join the object's own timeline. */
  readonly childStreams: readonly string[];
}

interface Link {
  readonly object: ResourceObject;
  readonly stream: string;
}

const none: Related = { objects: [], childStreams: [] };

const isPresent = <TState extends { readonly status: string }>(
  state: TState,
): state is TState & { readonly status: "present" } => state.status === "present";

function presentStates<TState extends { readonly status: string }>(entries: Iterable<[string, TState]>) {
  return [...entries].map(([, state]) => state).filter(isPresent);
}

/** A Certificate's requests, oldest revision first, found by the annotation cert-manager sets on them. */
function requestsOf(
  readModel: ReadModel,
  namespace: string,
  certificate: string,
): ExistingCertificateRequest[] {
  const revision = (state: ExistingCertificateRequest) =>
    Number(state.meta.annotations?.[requestAnnotations.certificateRevision] ?? 0);
  return presentStates(readModel.requests.entries())
    .filter(
      (state) =>
        state.meta.namespace === namespace &&
        state.meta.annotations?.[requestAnnotations.certificateName] === certificate,
    )
    .sort((a, b) => revision(a) - revision(b) || a.meta.name.localeCompare(b.meta.name));
}

/** A request's Orders, oldest first: cert-manager replaces an Order whose certificate did not match. */
function ordersOf(readModel: ReadModel, namespace: string, request: string): ExistingOrder[] {
  return presentStates(readModel.orders.entries())
    .filter((state) => state.meta.namespace === namespace && state.meta.requestName === request)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.meta.name.localeCompare(b.meta.name));
}

function challengesOf(readModel: ReadModel, namespace: string, order: string): ExistingChallenge[] {
  return presentStates(readModel.challenges.entries())
    .filter((state) => state.meta.namespace === namespace && state.meta.orderName === order)
    .sort((a, b) => a.spec.dnsName.localeCompare(b.spec.dnsName) || a.meta.name.localeCompare(b.meta.name));
}

const requestLink = (state: ExistingCertificateRequest): Link => ({
  object: certificateRequestObject(state),
  stream: streams.certificateRequest(state.meta.namespace ?? "default", state.meta.name),
});
const orderLink = (state: ExistingOrder): Link => ({
  object: orderObject(state),
  stream: streams.order(state.meta.namespace, state.meta.name),
});
const challengeLink = (state: ExistingChallenge): Link => ({
  object: challengeObject(state),
  stream: streams.challenge(state.meta.namespace, state.meta.name),
});

/** The request's current (newest) Order and that Order's Challenges. */
function acmeChainOf(readModel: ReadModel, namespace: string, request: string): Link[] {
  const order = ordersOf(readModel, namespace, request).at(-1);
  if (!order) return [];
  return [orderLink(order), ...challengesOf(readModel, namespace, order.meta.name).map(challengeLink)];
}

function children(links: readonly Link[], owners: readonly ResourceObject[] = []): Related {
  return { objects: [...owners, ...links.map((l) => l.object)], childStreams: links.map((l) => l.stream) };
}

/**
 * Owners are shown but their events are not merged: describing a Challenge tells its own story,
 * describing a Certificate tells the story of everything issued for it.
 */
export function relatedTo(
  readModel: ReadModel,
  kind: ResourceKind,
  name: string,
  namespace: string | undefined,
): Related {
  if (namespace === undefined) return none;
  switch (kind) {
    case "Certificate": {
      const requests = requestsOf(readModel, namespace, name);
      const current = requests.at(-1);
      return children([
        ...requests.map(requestLink),
        ...(current ? acmeChainOf(readModel, namespace, current.meta.name) : []),
      ]);
    }
    case "CertificateRequest":
      return children(acmeChainOf(readModel, namespace, name));
    case "Order": {
      const order = readModel.orders.get(streams.order(namespace, name));
      const request =
        order?.status === "present"
          ? readModel.requests.get(streams.certificateRequest(namespace, order.meta.requestName))
          : undefined;
      return children(
        challengesOf(readModel, namespace, name).map(challengeLink),
        request?.status === "present" ? [certificateRequestObject(request)] : [],
      );
    }
    case "Challenge": {
      const challenge = readModel.challenges.get(streams.challenge(namespace, name));
      const order =
        challenge?.status === "present"
          ? readModel.orders.get(streams.order(namespace, challenge.meta.orderName))
          : undefined;
      return children([], order?.status === "present" ? [orderObject(order)] : []);
    }
    default:
      return none;
  }
}
