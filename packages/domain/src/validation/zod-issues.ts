// Translates zod's issues into Kubernetes-style FieldIssues. Messages never echo input values
// (a Secret's data is key material), except enum values, which are the user's own spelling.
import type { z } from "zod";
import type { FieldIssue } from "../errors.ts";
import { formatFieldPath } from "./field-path.ts";

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function describe(issue: z.core.$ZodIssue, input: unknown): FieldIssue[] {
  const field = formatFieldPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        field: formatFieldPath([...issue.path, key]),
        rule: "unknownField",
        message: `unknown field "${key}"`,
      }));
    case "invalid_type": {
      const value = valueAt(input, issue.path);
      return value === undefined
        ? [{ field, rule: "required", message: "Required value" }]
        : [
            {
              field,
              rule: "invalidType",
              message: `must be of type ${issue.expected}, got ${typeName(value)}`,
            },
          ];
    }
    case "invalid_value": {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(", ");
      const value = valueAt(input, issue.path);
      const shown =
        typeof value === "string" || typeof value === "number" ? JSON.stringify(value) : typeName(value);
      return [
        {
          field,
          rule: "notSupported",
          message: `Unsupported value: ${shown}: supported values: ${supported}`,
        },
      ];
    }
    case "custom": {
      const rule = typeof issue.params?.rule === "string" ? issue.params.rule : "invalid";
      return [{ field, rule, message: issue.message }];
    }
    case "invalid_format":
      return [{ field, rule: "invalidFormat", message: issue.message }];
    case "too_small":
    case "too_big":
      return [{ field, rule: "outOfRange", message: issue.message }];
    default:
      return [{ field, rule: issue.code, message: issue.message }];
  }
}

export function fieldIssuesFromZod(error: z.ZodError, input: unknown): FieldIssue[] {
  return error.issues.flatMap((issue) => describe(issue, input));
}
