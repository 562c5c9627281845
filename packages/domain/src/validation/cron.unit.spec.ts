import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCron } from "./cron.ts";

describe("cron expressions for renewal windows", () => {
  it("expands lists, ranges, steps and names into value sets", () => {
    const reading = parseCron("0,30 22-23 * JAN-MAR/2 mon-fri");
    assert.ok(reading.ok);
    assert.deepEqual(reading.schedule.minutes, [0, 30]);
    assert.deepEqual(reading.schedule.hours, [22, 23]);
    assert.equal(reading.schedule.daysOfMonth.length, 31);
    assert.deepEqual(reading.schedule.months, [1, 3]);
    assert.deepEqual(reading.schedule.daysOfWeek, [1, 2, 3, 4, 5]);
    assert.equal(reading.schedule.dayOfMonthRestricted, false);
    assert.equal(reading.schedule.dayOfWeekRestricted, true);
  });

  it("expands descriptors and keeps a CRON_TZ zone", () => {
    const reading = parseCron("CRON_TZ=Europe/Berlin @daily");
    assert.ok(reading.ok);
    assert.deepEqual(reading.schedule.minutes, [0]);
    assert.deepEqual(reading.schedule.hours, [0]);
    assert.equal(reading.schedule.timezone, "Europe/Berlin");
  });

  it("reads `n/step` as from n to the field's maximum", () => {
    const reading = parseCron("5/20 * * * *");
    assert.ok(reading.ok);
    assert.deepEqual(reading.schedule.minutes, [5, 25, 45]);
  });

  const refusals: [string, string][] = [
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["x * * * *", "failed to parse int from x"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["CRON_TZ=UTC", "missing schedule after the UTC time zone"],
    ["CRON_TZ=Mars/Olympus 0 0 * * *", "provided bad location Mars/Olympus"],
    ["", "empty spec string"],
  ];
  for (const [expression, message] of refusals) {
    it(`refuses ${JSON.stringify(expression)}: ${message}`, () => {
      assert.deepEqual(parseCron(expression), { ok: false, message });
    });
  }
});
