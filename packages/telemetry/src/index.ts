export type { WorkSpanOptions } from "./spans.ts";
export {
  activeTraceIds,
  inSpan,
  recordingTraceparent,
  SpanKind,
  SpanStatusCode,
  tracingRequested,
} from "./spans.ts";
export {
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  withRemoteTraceContext,
} from "./trace-headers.ts";
export type { TraceContext } from "./traceparent.ts";
export {
  childTraceparent,
  formatTraceparent,
  isValidTraceparent,
  newTraceparent,
  parseTraceparent,
} from "./traceparent.ts";
