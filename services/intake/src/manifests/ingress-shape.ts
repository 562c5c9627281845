// An applied Ingress is not a kind certplane stores, so no schema parses it before the shim reads
// it; these are the fields the shim reads, checked for type so a `tls: false` is a field error,
// not a TypeError. Everything else in the Ingress is Kubernetes' business and passes unread.
import type { FieldIssue } from "@certplane/domain";

type Expected = "string" | "list" | "map";

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function matches(value: unknown, expected: Expected): boolean {
  if (expected === "string") return typeof value === "string";
  if (expected === "list") return Array.isArray(value);
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const typeIssue = (field: string, expected: Expected, value: unknown): FieldIssue => ({
  field,
  rule: "invalidType",
  message: `must be of type ${expected === "list" ? "array" : expected === "map" ? "object" : "string"}, got ${typeName(value)}`,
});

/** Issues for `value` at `field` when present and not `expected`; `[]` when absent or right. */
const optional = (value: unknown, field: string, expected: Expected): FieldIssue[] =>
  value === undefined || matches(value, expected) ? [] : [typeIssue(field, expected, value)];

function stringMapIssues(value: unknown, field: string): FieldIssue[] {
  const shape = optional(value, field, "map");
  if (shape.length > 0 || value === undefined) return shape;
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    optional(item, `${field}[${key}]`, "string"),
  );
}

function tlsIssues(tls: unknown): FieldIssue[] {
  const shape = optional(tls, "spec.tls", "list");
  if (shape.length > 0 || tls === undefined) return shape;
  return (tls as unknown[]).flatMap((entry, i) => {
    const field = `spec.tls[${i}]`;
    if (!matches(entry, "map")) return [typeIssue(field, "map", entry)];
    const { hosts, secretName } = entry as { hosts?: unknown; secretName?: unknown };
    const hostIssues = optional(hosts, `${field}.hosts`, "list");
    return [
      ...optional(secretName, `${field}.secretName`, "string"),
      ...(hostIssues.length > 0 || hosts === undefined
        ? hostIssues
        : (hosts as unknown[]).flatMap((host, j) => optional(host, `${field}.hosts[${j}]`, "string"))),
    ];
  });
}

/** Type problems in the fields of an Ingress the shim reads (metadata, spec.tls). */
export function ingressShapeIssues(ingress: {
  readonly metadata?: unknown;
  readonly spec?: unknown;
}): FieldIssue[] {
  const metadataShape = optional(ingress.metadata, "metadata", "map");
  const specShape = optional(ingress.spec, "spec", "map");
  const metadata = (metadataShape.length > 0 ? {} : (ingress.metadata ?? {})) as Record<string, unknown>;
  const spec = (specShape.length > 0 ? {} : (ingress.spec ?? {})) as Record<string, unknown>;
  return [
    ...metadataShape,
    ...optional(metadata.name, "metadata.name", "string"),
    ...optional(metadata.namespace, "metadata.namespace", "string"),
    ...stringMapIssues(metadata.labels, "metadata.labels"),
    ...stringMapIssues(metadata.annotations, "metadata.annotations"),
    ...specShape,
    ...tlsIssues(spec.tls),
  ];
}
