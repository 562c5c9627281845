// Kubernetes-style status conditions, as cert-manager reports them.
import type { Condition } from "../resources/condition.ts";

/**
 * A condition as certplane sets it: the API's Condition, whose reason, message and transition time
 * a manifest may leave out, with all three always present.
 */
export type StoredCondition = Readonly<
  Required<Pick<Condition, "type" | "status" | "reason" | "message" | "lastTransitionTime">> &
    Pick<Condition, "observedGeneration">
>;

/** Sets a condition; keeps lastTransitionTime when the status did not change, as cert-manager does. */
export function setCondition(
  conditions: readonly StoredCondition[],
  next: StoredCondition,
): readonly StoredCondition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const merged =
    previous && previous.status === next.status
      ? { ...next, lastTransitionTime: previous.lastTransitionTime }
      : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

export function removeCondition(
  conditions: readonly StoredCondition[],
  type: string,
): readonly StoredCondition[] {
  return conditions.filter((c) => c.type !== type);
}

export function findCondition(
  conditions: readonly StoredCondition[],
  type: string,
): StoredCondition | undefined {
  return conditions.find((c) => c.type === type);
}
