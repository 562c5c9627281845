import type { FieldIssue } from "../errors.ts";

/** One broken rule as a check reports it; the runner stamps the check's name on it as `rule`. */
export interface Violation {
  readonly field: string;
  readonly message: string;
}

/** A small pure rule, named after the violation it detects (`renewBeforeNotLessThanDuration`). */
export interface PolicyCheck<T> {
  readonly name: string;
  readonly check: (subject: T) => readonly Violation[];
}

/** Runs every check in order and collects all issues, so the user sees every problem at once. */
export function runChecks<T>(checks: readonly PolicyCheck<T>[], subject: T): FieldIssue[] {
  return checks.flatMap(({ name, check }) =>
    check(subject).map(({ field, message }) => ({ field, rule: name, message })),
  );
}
