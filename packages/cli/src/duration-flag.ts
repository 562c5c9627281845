import { ValidationError } from "@certplane/domain";

const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A Go-style duration flag value (`90s`, `1m30s`, `2h`) in milliseconds. */
export function parseDurationFlag(text: string, flag: string): number {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    throw ValidationError.of(flag, "duration", `must be a duration like 30s, 2m or 1h30m, got "${text}"`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (unitMs[unit ?? "s"] ?? 0);
  }
  return total;
}
