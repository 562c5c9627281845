// Table tests for admission rules: one suite per rule, named by the rule, one case per row. A row
// lists the issues that rule reports (none when the manifest passes it); other rules are not its business.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateResource } from "../validation/validate-resource.ts";

export interface ExpectedIssue {
  readonly field: string;
  readonly message: string;
}

export type RuleRow = readonly [sentence: string, manifest: unknown, expected: readonly ExpectedIssue[]];

/** What `rule` says about `manifest`, as field and message. */
function issuesOfRule(rule: string, manifest: unknown): ExpectedIssue[] {
  const result = validateResource(manifest);
  if (result.ok) return [];
  return result.error.issues.filter((i) => i.rule === rule).map(({ field, message }) => ({ field, message }));
}

export function ruleTable(rules: Readonly<Record<string, readonly RuleRow[]>>): void {
  for (const [rule, rows] of Object.entries(rules)) {
    describe(rule, () => {
      for (const [sentence, manifest, expected] of rows) {
        it(sentence, () => assert.deepEqual(issuesOfRule(rule, manifest), expected));
      }
    });
  }
}

/** A namespaced Issuer with this spec. */
export function issuerWith(spec: Record<string, unknown>): unknown {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Issuer",
    metadata: { name: "iss", namespace: "ns" },
    spec,
  };
}
