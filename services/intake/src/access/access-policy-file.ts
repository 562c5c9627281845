// The access policy file (CERTPLANE_ACCESS_POLICY_FILE): one YAML or JSON AccessPolicy document,
// read once at start. A policy that does not parse stops the start: running with a policy other
// than the one the operator wrote would be worse than not running.

import { type AccessPolicy, type FieldIssue, parseAccessPolicy, ValidationError } from "@certplane/domain";
import { parse } from "yaml";
import { readConfigFile } from "../config-file.ts";

export const ACCESS_POLICY_VARIABLE = "CERTPLANE_ACCESS_POLICY_FILE";

export function readAccessPolicyFile(path: string, readFile: (path: string) => string): AccessPolicy {
  const at = (field: string) => `${ACCESS_POLICY_VARIABLE} (${path})${field === "" ? "" : `: ${field}`}`;
  const text = readConfigFile(readFile, ACCESS_POLICY_VARIABLE, path);
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw ValidationError.of(at(""), "yaml", `is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    return parseAccessPolicy(document);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((issue): FieldIssue => ({ ...issue, field: at(issue.field) })),
    );
  }
}
