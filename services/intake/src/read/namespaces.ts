import type { ReadModel } from "./read-model.ts";

/** certplane keeps no Namespace objects: a namespace exists while something lives in it (and `default` always). */
export function knownNamespaces(readModel: ReadModel): string[] {
  const names = new Set(["default"]);
  const projections = [
    readModel.certificates,
    readModel.requests,
    readModel.issuers,
    readModel.secrets,
    readModel.orders,
    readModel.challenges,
  ];
  for (const projection of projections) {
    for (const [, state] of projection.entries()) {
      if (state.status !== "active" && state.status !== "present") continue;
      const namespace = "meta" in state ? state.meta.namespace : state.namespace;
      if (namespace) names.add(namespace);
    }
  }
  return [...names].sort();
}
