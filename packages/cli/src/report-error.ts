import { formatFieldIssue, ValidationError } from "@certplane/domain";
import type { CliWriter } from "./cli-io.ts";

export function reportError(error: unknown, stderr: CliWriter): void {
  if (error instanceof ValidationError && error.issues.length > 1) {
    stderr.write(`error: ${error.issues.length} problems:\n`);
    for (const issue of error.issues) stderr.write(`  ${formatFieldIssue(issue)}\n`);
    return;
  }
  if (error instanceof ValidationError && error.issues[0] !== undefined) {
    stderr.write(`error: ${formatFieldIssue(error.issues[0])}\n`);
    return;
  }
  stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
}
