// A manifest is JSON written as YAML (Kubernetes converts it with sigs.k8s.io/yaml before decoding),
// but the yaml package also builds what JSON cannot hold: a Date, Buffer, Set or Map from an explicit
// tag, ±Infinity and NaN from `.inf`/`.nan` or an overflowing number, and a cycle from an alias
// inside its own anchor. Each is refused at its path before any code walks the value recursively.
import type { FieldIssue } from "@certplane/domain";

function describeNonJson(value: unknown): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
  }
  if (Array.isArray(value)) return undefined;
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return undefined;
  const name = typeof value === "object" ? (value?.constructor?.name ?? "object") : typeof value;
  return `a YAML tag made this a ${name}, which JSON cannot hold: write a plain string, number, list or map`;
}

/** Kubernetes' field.Path spelling: `spec.dnsNames[0]`, `metadata.labels[app.kubernetes.io/name]`. */
function child(path: string, key: string | number): string {
  if (typeof key === "number" || !/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** Issues for every value JSON cannot hold, the first one per branch; `[]` for plain JSON data. */
export function jsonValueIssues(root: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // Iterative, with the ancestors of each node: a cycle is an ancestor met again, a shared alias is not.
  const pending: { value: unknown; field: string; ancestors: readonly object[] }[] = [
    { value: root, field: "", ancestors: [] },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, field, ancestors } = next;
    const problem = describeNonJson(value);
    if (problem !== undefined) {
      issues.push({ field, rule: "notJson", message: problem });
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (ancestors.includes(value)) {
      issues.push({
        field,
        rule: "yamlAliasCycle",
        message: "an alias refers to the collection it is inside",
      });
      continue;
    }
    const below = [...ancestors, value];
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    for (const [key, item] of entries)
      pending.push({ value: item, field: child(field, key), ancestors: below });
  }
  return issues;
}
