import { ValidationError } from "@certplane/domain";
import { parseDurationFlag } from "./duration-flag.ts";

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * `--at`: an RFC 3339 time, or a duration ago (`2h`, `90m`, `1h30m`) counted back from `now`.
 * The server refuses an instant in the future or before its first event.
 */
export function parseAtFlag(text: string, now: Date): Date {
  if (rfc3339.test(text)) {
    const instant = new Date(text);
    if (!Number.isNaN(instant.getTime())) return instant;
  } else if (/^\d/.test(text) && !text.includes("-")) {
    try {
      return new Date(now.getTime() - parseDurationFlag(text, "--at"));
    } catch {
      // Falls through to the message that names both forms.
    }
  }
  throw ValidationError.of(
    "--at",
    "format",
    `must be an RFC 3339 time like 2026-01-10T09:00:00Z or a duration ago like 2h or 90m, got "${text}"`,
  );
}
