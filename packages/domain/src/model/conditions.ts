// Kubernetes-style status conditions, as cert-manager reports them.

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

/** Sets a condition; keeps lastTransitionTime when the status did not change, as cert-manager does. */
export function setCondition(conditions: readonly Condition[], next: Condition): readonly Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const merged =
    previous && previous.status === next.status
      ? { ...next, lastTransitionTime: previous.lastTransitionTime }
      : next;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}

export function removeCondition(conditions: readonly Condition[], type: string): readonly Condition[] {
  return conditions.filter((c) => c.type !== type);
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}
