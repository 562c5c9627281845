import type { ResourceObject } from "@certplane/api";

export interface ConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

export function conditionsOf(object: ResourceObject): readonly ConditionView[] {
  const conditions = (object.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as ConditionView[]) : [];
}

export function conditionOf(object: ResourceObject, type: string): ConditionView | undefined {
  return conditionsOf(object).find((condition) => condition.type === type);
}

/** `Ready=False (Pending): Issuing certificate as Secret does not exist` */
export function summarizeCondition(type: string, condition: ConditionView | undefined): string {
  if (condition === undefined) return `${type}: not reported yet`;
  const reason = condition.reason ? ` (${condition.reason})` : "";
  const message = condition.message ? `: ${condition.message}` : "";
  return `${type}=${condition.status}${reason}${message}`;
}
