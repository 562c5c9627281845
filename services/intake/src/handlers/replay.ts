import type { ReplayRequest, ReplayResponse, ResourceObject } from "@certplane/api";
import type { IntakeContext } from "../intake-context.ts";
import { knownNamespaces } from "../read/namespaces.ts";
import { pointInTime } from "../read/point-in-time.ts";
import { namespaceObject } from "../read/resource-objects.ts";
import { type StoredKindName, storedKinds } from "../read/stored-kinds.ts";

const byNamespaceAndName = (a: ResourceObject, b: ResourceObject) =>
  (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
  a.metadata.name.localeCompare(b.metadata.name);

/** The whole system at an instant: every object that existed then, with its status as of then. */
export async function replay(context: IntakeContext, request: ReplayRequest): Promise<ReplayResponse> {
  const { readModel, now } = await pointInTime(context.store, request.at, context.clock.now());
  const kinds = Object.keys(storedKinds) as StoredKindName[];
  const items = [
    ...knownNamespaces(readModel).map(namespaceObject),
    ...kinds.flatMap((kind) => storedKinds[kind].list(readModel, now).sort(byNamespaceAndName)),
  ];
  return { at: now.toISOString(), items };
}
