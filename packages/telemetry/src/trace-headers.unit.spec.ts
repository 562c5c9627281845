import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Context,
  type ContextManager,
  context,
  createTraceState,
  ROOT_CONTEXT,
  trace,
} from "@opentelemetry/api";
import {
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  withRemoteTraceContext,
} from "./trace-headers.ts";
import { parseTraceparent } from "./traceparent.ts";

const CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const spanContext = {
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  traceFlags: 1,
  traceState: createTraceState("vendor=value"),
};
const withActiveSpan = trace.setSpanContext(ROOT_CONTEXT, spanContext);

describe("trace context in message headers", () => {
  it("keeps a valid traceparent the caller gave, and the other headers", () => {
    const headers = injectTraceContext({ traceparent: CALLER, "correlation-id": "c-1" }, withActiveSpan);
    assert.deepEqual(headers, { traceparent: CALLER, "correlation-id": "c-1" });
  });

  it("takes the active OpenTelemetry span when the caller gave none", () => {
    const headers = injectTraceContext({}, withActiveSpan);
    assert.equal(headers.traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assert.equal(headers.tracestate, "vendor=value");
  });

  it("starts a new trace when there is neither a header nor an active span", () => {
    const headers = injectTraceContext({ "correlation-id": "c-1" }, ROOT_CONTEXT);
    assert.ok(parseTraceparent(headers.traceparent ?? ""));
    assert.equal(headers["correlation-id"], "c-1");
  });

  it("replaces an invalid traceparent and drops the tracestate that belonged to it", () => {
    const headers = injectTraceContext({ traceparent: "nonsense", tracestate: "a=b" }, ROOT_CONTEXT);
    assert.ok(parseTraceparent(headers.traceparent ?? ""));
    assert.equal(headers.tracestate, undefined);
  });

  it("reports no current traceparent outside a span", () => {
    assert.equal(currentTraceparent(ROOT_CONTEXT), undefined);
  });

  it("extracts the sender's trace context, or nothing", () => {
    assert.equal(extractTraceContext({ traceparent: CALLER })?.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert.equal(extractTraceContext({}), undefined);
  });

  it("makes the sender's span the active parent while the work runs", () => {
    context.setGlobalContextManager(new StackContextManager());
    try {
      const seen = withRemoteTraceContext({ traceparent: CALLER }, () => currentTraceparent());
      assert.equal(seen, CALLER);
      assert.equal(currentTraceparent(), undefined);
    } finally {
      context.disable();
    }
  });

  it("runs work unchanged when the headers carry no trace", () => {
    assert.equal(
      withRemoteTraceContext({}, () => currentTraceparent()),
      undefined,
    );
  });
});

// The API alone ships a no-op context manager; a synchronous stack is enough to observe `with`.
class StackContextManager implements ContextManager {
  private readonly stack: Context[] = [ROOT_CONTEXT];
  active(): Context {
    return this.stack.at(-1) ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(active);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}
