// Kubernetes' IsConfigMapKey for a Secret's data and stringData keys, with its messages: every
// target writes a key as a file name, an object key or a path segment, so `../x` or a NUL byte
// would be accepted here and then refused (or worse, obeyed) by the target that publishes it.
import type { Secret } from "../resources/core.ts";
import type { PolicyCheck } from "./policy-check.ts";

const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;

export function secretDataKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length > MAX_KEY_LENGTH) problems.push(`must be no more than ${MAX_KEY_LENGTH} characters`);
  if (!KEY.test(key)) {
    problems.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or " +
        "'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === ".") problems.push("must not be '.'");
  else if (key === "..") problems.push("must not be '..'");
  else if (key.startsWith("..")) problems.push("must not start with '..'");
  return problems;
}

export const secretDataKeyChecks: readonly PolicyCheck<Secret>[] = [
  {
    name: "secretDataKeyInvalid",
    check: ({ data, stringData }) =>
      (
        [
          ["data", data],
          ["stringData", stringData],
        ] as const
      ).flatMap(([field, entries]) =>
        Object.keys(entries ?? {}).flatMap((key) =>
          secretDataKeyProblems(key).map((message) => ({ field: `${field}[${key}]`, message })),
        ),
      ),
  },
];
