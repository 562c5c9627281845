// Go's time.ParseDuration and Duration.String, reproduced exactly because cert-manager's messages
// print durations the Go way (`720h0m0s`) and users write them the Go way (`2160h`, `1.5h`).
// Arithmetic runs in BigInt nanoseconds, as Go's int64 does, so large values round-trip.
import { ValidationError } from "./errors.ts";

export type GoDurationReading =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const NANOS_PER_MS = 1_000_000n;

/** Reads a Go duration string into milliseconds (fractional below 1ms), or says why it cannot. */
export function readGoDuration(text: string, options: { allowNegative?: boolean } = {}): GoDurationReading {
  const nanos = parseNanos(text);
  if (typeof nanos === "string") return { ok: false, message: nanos };
  if (nanos < 0n && options.allowNegative === false) {
    return { ok: false, message: `duration "${text}" must not be negative` };
  }
  return { ok: true, ms: nanosToMs(nanos) };
}

/** Like readGoDuration, but throws a ValidationError naming `field`. */
export function parseGoDuration(
  text: string,
  options: { field?: string; allowNegative?: boolean } = {},
): number {
  const reading = readGoDuration(text, options);
  if (!reading.ok) throw ValidationError.of(options.field ?? "duration", "goDuration", reading.message);
  return reading.ms;
}

/** Formats milliseconds as Go's Duration.String does: `720h0m0s`, `5m0s`, `1.5s`, `300ms`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format ${ms} as a Go duration`);
  const nanos = BigInt(Math.round(ms * 1e6));
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const text = magnitude < 1_000_000_000n ? formatSubSecond(magnitude) : formatClock(magnitude);
  return negative ? `-${text}` : text;
}

function nanosToMs(nanos: bigint): number {
  const whole = nanos / NANOS_PER_MS;
  const rest = nanos % NANOS_PER_MS;
  return Number(whole) + Number(rest) / 1e6;
}

function formatSubSecond(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  if (nanos < 1_000n) return `${nanos}ns`;
  if (nanos < 1_000_000n) return `${decimal(nanos, 3)}µs`;
  return `${decimal(nanos, 6)}ms`;
}

function formatClock(nanos: bigint): string {
  const seconds = decimal(nanos % 60_000_000_000n, 9);
  const totalMinutes = nanos / 60_000_000_000n;
  if (totalMinutes === 0n) return `${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = totalMinutes % 60n;
  return hours === 0n ? `${minutes}m${seconds}s` : `${hours}h${minutes}m${seconds}s`;
}

/** `value / 10^precision` with trailing fraction zeros (and a bare point) dropped, as Go's fmtFrac. */
function decimal(value: bigint, precision: number): string {
  const scale = 10n ** BigInt(precision);
  const fraction = (value % scale).toString().padStart(precision, "0").replace(/0+$/, "");
  const whole = (value / scale).toString();
  return fraction === "" ? whole : `${whole}.${fraction}`;
}

/** Returns nanoseconds, or Go's error text. Mirrors time.ParseDuration step by step. */
function parseNanos(original: string): bigint | string {
  const invalid = `time: invalid duration "${original}"`;
  let rest = original;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") return invalid;
  let total = 0n;
  while (rest !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? "";
    const fraction = number?.[2];
    if (whole === "" && (fraction === undefined || fraction === "")) return invalid;
    rest = rest.slice(number?.[0].length ?? 0);
    const unitText = /^[^\d.]*/.exec(rest)?.[0] ?? "";
    if (unitText === "") return `time: missing unit in duration "${original}"`;
    rest = rest.slice(unitText.length);
    const unit = NANOS_PER_UNIT[unitText];
    if (unit === undefined) return `time: unknown unit "${unitText}" in duration "${original}"`;
    let value = BigInt(whole === "" ? "0" : whole) * unit;
    if (fraction) {
      // Go scales the fraction through float64; doing the same keeps results bit-identical.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / 10 ** fraction.length)));
    }
    total += value;
    if (total > (negative ? MAX_INT64 + 1n : MAX_INT64)) return invalid;
  }
  return negative ? -total : total;
}
