import type { GetRequest, GetResponse, ResourceObject } from "@certplane/api";
import { ValidationError } from "@certplane/domain";
import type { IntakeContext } from "../intake-context.ts";
import { kindFacts, namespaceFor, notFound, requireKnownKind } from "../kinds.ts";
import { knownNamespaces } from "../read/namespaces.ts";
import { pointInTime } from "../read/point-in-time.ts";
import { namespaceObject } from "../read/resource-objects.ts";
import { storedKinds } from "../read/stored-kinds.ts";

const byNamespaceAndName = (a: ResourceObject, b: ResourceObject) =>
  (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
  a.metadata.name.localeCompare(b.metadata.name);

export async function get(context: IntakeContext, request: GetRequest): Promise<GetResponse> {
  const kind = requireKnownKind(request.kind);
  // At a past instant every answer comes from a read model folded up to it, with readiness judged then.
  const past =
    request.at === undefined ? undefined : await pointInTime(context.store, request.at, context.clock.now());
  const readModel = past?.readModel ?? context.readModel;
  const now = past?.now ?? context.clock.now();
  if (kind === "Namespace") {
    const names = knownNamespaces(readModel);
    if (request.name === undefined) return { items: names.map(namespaceObject) };
    if (!names.includes(request.name)) throw notFound(kind, request.name);
    return { items: [namespaceObject(request.name)] };
  }
  if (kind === "Ingress") {
    throw ValidationError.of(
      "kind",
      "notStored",
      "certplane stores no Ingresses, only the Certificates they imply: certctl get certificates " +
        "(the certplane.io/ingress annotation names each one's Ingress)",
    );
  }
  const namespace = namespaceFor(kind, request.namespace);
  if (request.name !== undefined) {
    const item = past
      ? storedKinds[kind].find(readModel, request.name, namespace, now)
      : await storedKinds[kind].read(context.runner, readModel, request.name, namespace, now);
    if (!item) throw notFound(kind, request.name);
    return { items: [item] };
  }
  const everywhere = request.allNamespaces === true || !kindFacts[kind].namespaced;
  const items = storedKinds[kind]
    .list(readModel, now)
    .filter((item) => everywhere || item.metadata.namespace === namespace)
    .sort(byNamespaceAndName);
  return { items };
}
