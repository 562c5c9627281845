// Structured JSON lines on stderr. Callers pass facts, never key material: the logger also drops
// any field whose value looks like a PEM private key, as a last line of defence.
import { activeTraceIds } from "@certplane/telemetry";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error)
      out[key] = { message: value.message, code: (value as { code?: unknown }).code };
    else if (typeof value === "string" && value.includes("PRIVATE KEY")) out[key] = "[redacted]";
    else out[key] = value;
  }
  return out;
}

export function createLogger(options: {
  service: string;
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => Date;
  base?: Record<string, unknown>;
}): Logger {
  const threshold = order[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const make = (base: Record<string, unknown>): Logger => {
    const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
      if (order[level] < threshold) return;
      // The trace the line was written in (OTel's log data model names): a log search finds the trace.
      const ids = activeTraceIds();
      write(
        JSON.stringify({
          time: now().toISOString(),
          level,
          service: options.service,
          msg: message,
          ...(ids === undefined ? {} : { trace_id: ids.traceId, span_id: ids.spanId }),
          ...base,
          ...scrub(fields),
        }),
      );
    };
    return {
      debug: (m, f) => log("debug", m, f),
      info: (m, f) => log("info", m, f),
      warn: (m, f) => log("warn", m, f),
      error: (m, f) => log("error", m, f),
      child: (fields) => make({ ...base, ...scrub(fields) }),
    };
  };
  return make(options.base ?? {});
}

/** For tests and benchmarks that want silence. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
