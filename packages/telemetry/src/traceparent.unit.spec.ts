import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  childTraceparent,
  formatTraceparent,
  isValidTraceparent,
  newTraceparent,
  parseTraceparent,
} from "./traceparent.ts";

// The example from W3C Trace Context §3.2.2.5.
const EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("traceparent", () => {
  it("parses the W3C example into trace id, parent span id and flags", () => {
    assert.deepEqual(parseTraceparent(EXAMPLE), {
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
    });
  });

  it("formats what it parses back to the same header", () => {
    const parsed = parseTraceparent(EXAMPLE);
    assert.ok(parsed);
    assert.equal(formatTraceparent(parsed), EXAMPLE);
  });

  const invalid: ReadonlyArray<[string, string]> = [
    ["an empty value", ""],
    ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["an all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["uppercase hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"],
    ["the forbidden version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["version 00 with an extra field", `${EXAMPLE}-extra`],
    ["a short trace id", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"],
    ["a missing flags field", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"],
  ];
  for (const [description, value] of invalid) {
    it(`rejects ${description}`, () => {
      assert.equal(parseTraceparent(value), undefined);
      assert.equal(isValidTraceparent(value), false);
    });
  }

  it("reads the version-00 fields of a higher version and ignores what follows", () => {
    const parsed = parseTraceparent(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds",
    );
    assert.equal(parsed?.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert.equal(parsed?.spanId, "00f067aa0ba902b7");
  });

  it("generates valid, sampled, distinct traces", () => {
    const first = parseTraceparent(newTraceparent());
    const second = parseTraceparent(newTraceparent());
    assert.ok(first && second);
    assert.equal(first.traceFlags, 1);
    assert.notEqual(first.traceId, second.traceId);
  });

  it("gives a child the parent's trace id and flags but a new span id", () => {
    const child = parseTraceparent(childTraceparent(EXAMPLE));
    assert.ok(child);
    assert.equal(child.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert.equal(child.traceFlags, 1);
    assert.notEqual(child.spanId, "00f067aa0ba902b7");
  });

  it("starts a new trace when the parent cannot be parsed", () => {
    assert.equal(isValidTraceparent(childTraceparent("garbage")), true);
  });
});
