import { randomBytes } from "node:crypto";

/** The parts of a W3C `traceparent` header (Trace Context Level 1, §3.2). */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** The parent span: 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** 8-bit flags; bit 0 is `sampled`. */
  readonly traceFlags: number;
}

const SUPPORTED_VERSION = "00";
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
// §4.3: a receiver of a higher version parses the version-00 fields and ignores whatever follows a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** Parses a `traceparent` value; an invalid one yields `undefined`, which per §3.2 means "start a new trace". */
export function parseTraceparent(value: string): TraceContext | undefined {
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (!version || !traceId || !spanId || !flags) return undefined;
  // Version ff is forbidden; version 00 has exactly four fields (§3.2.2.1).
  if (version === "ff" || (version === SUPPORTED_VERSION && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) };
}

export function isValidTraceparent(value: string): boolean {
  return parseTraceparent(value) !== undefined;
}

/** Always writes version 00, the only version this code understands. */
export function formatTraceparent(context: TraceContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `${SUPPORTED_VERSION}-${context.traceId}-${context.spanId}-${flags}`;
}

/** A new sampled trace with a fresh root span. */
export function newTraceparent(): string {
  return formatTraceparent({ traceId: randomHex(16, ZERO_TRACE_ID), spanId: newSpanId(), traceFlags: 1 });
}

/** Same trace and flags, new span id; an unparseable parent starts a new trace instead (§3.2). */
export function childTraceparent(parent: string): string {
  const context = parseTraceparent(parent);
  if (!context) return newTraceparent();
  return formatTraceparent({ ...context, spanId: newSpanId() });
}

function newSpanId(): string {
  return randomHex(8, ZERO_SPAN_ID);
}

function randomHex(bytes: number, invalid: string): string {
  for (;;) {
    const hex = randomBytes(bytes).toString("hex");
    if (hex !== invalid) return hex;
  }
}
