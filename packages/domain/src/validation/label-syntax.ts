// Kubernetes label and annotation syntax (k8s.io/apimachinery validation IsQualifiedName,
// IsValidLabelValue, ValidateAnnotations), with its messages.
import { dns1123SubdomainProblems } from "./names.ts";

const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const qualifiedNamePattern = new RegExp(`^${QUALIFIED_NAME}$`);
const labelValuePattern = new RegExp(`^(${QUALIFIED_NAME})?$`);
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameRegexError =
  `${QUALIFIED_NAME_RULE} (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is ` +
  `'${QUALIFIED_NAME}')`;

/** The most a Kubernetes object's annotations may hold, keys and values together. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** Problems with `key` as a label or annotation key (`[prefix/]name`); empty when valid. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split("/");
  if (parts.length > 2) {
    return [
      `a qualified name ${qualifiedNameRegexError} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const [prefix, name = ""] = parts.length === 2 ? parts : [undefined, parts[0] ?? ""];
  const problems: string[] = [];
  if (prefix === "") problems.push("prefix part must be non-empty");
  else if (prefix !== undefined)
    problems.push(...dns1123SubdomainProblems(prefix).map((p) => `prefix part ${p}`));
  if (name === "") problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push("name part must be no more than 63 characters");
  if (!qualifiedNamePattern.test(name)) problems.push(`name part ${qualifiedNameRegexError}`);
  return problems;
}

export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!labelValuePattern.test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
        "must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex " +
        `used for validation is '(${QUALIFIED_NAME})?')`,
    );
  }
  return problems;
}

/** Bytes the annotations take, counted as Go's len() counts strings (UTF-8). */
export function annotationsSize(annotations: Readonly<Record<string, string>>): number {
  const encoder = new TextEncoder();
  return Object.entries(annotations).reduce(
    (total, [key, value]) => total + encoder.encode(key).length + encoder.encode(value).length,
    0,
  );
}
