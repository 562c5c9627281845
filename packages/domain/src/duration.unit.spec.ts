import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatGoDuration, parseGoDuration, readGoDuration } from "./duration.ts";
import { ValidationError } from "./errors.ts";

const HOUR = 3_600_000;

describe("Go durations", () => {
  const readings: [string, number, string][] = [
    ["2160h", 2160 * HOUR, "2160h0m0s"],
    ["1h30m", 1.5 * HOUR, "1h30m0s"],
    ["90m", 1.5 * HOUR, "1h30m0s"],
    ["1.5h", 1.5 * HOUR, "1h30m0s"],
    ["300ms", 300, "300ms"],
    ["30s", 30_000, "30s"],
    ["5m", 300_000, "5m0s"],
    ["720h", 720 * HOUR, "720h0m0s"],
    ["1h", HOUR, "1h0m0s"],
    ["0", 0, "0s"],
    ["+5m", 300_000, "5m0s"],
    ["-1h", -HOUR, "-1h0m0s"],
    [".5s", 500, "500ms"],
    ["1.5s", 1500, "1.5s"],
    ["1h0.5m", HOUR + 30_000, "1h0m30s"],
    ["2us", 0.002, "2µs"],
    ["7ns", 0.000007, "7ns"],
  ];
  for (const [text, ms, formatted] of readings) {
    it(`reads ${JSON.stringify(text)} as ${ms}ms and prints it back as ${formatted}`, () => {
      assert.equal(parseGoDuration(text), ms);
      assert.equal(formatGoDuration(ms), formatted);
      assert.equal(parseGoDuration(formatted), ms);
    });
  }

  const refusals: [string, string][] = [
    ["", 'time: invalid duration ""'],
    ["1", 'time: missing unit in duration "1"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
    ["h", 'time: invalid duration "h"'],
    ["-", 'time: invalid duration "-"'],
    ["1h-5m", 'time: unknown unit "h-" in duration "1h-5m"'],
    ["9999999999h", 'time: invalid duration "9999999999h"'],
  ];
  for (const [text, message] of refusals) {
    it(`refuses ${JSON.stringify(text)} with Go's message`, () => {
      assert.deepEqual(readGoDuration(text), { ok: false, message });
    });
  }

  it("refuses a negative duration where the caller says negative makes no sense", () => {
    assert.deepEqual(readGoDuration("-5m", { allowNegative: false }), {
      ok: false,
      message: 'duration "-5m" must not be negative',
    });
  });

  it("throws a ValidationError naming the field when parseGoDuration fails", () => {
    assert.throws(
      () => parseGoDuration("ten minutes", { field: "spec.duration" }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.issues[0]?.field === "spec.duration" &&
        error.code === "VALIDATION",
    );
  });
});
