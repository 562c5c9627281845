import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renewalTime } from "./renewal-time.ts";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const notBefore = new Date("2025-01-01T00:00:00Z");
const at = (ms: number) => new Date(notBefore.getTime() + ms);

describe("renewalTime", () => {
  const cases: { name: string; lifetime: number; renewBefore?: number; pct?: number; expected: Date }[] = [
    {
      name: "a 90d certificate with renewBefore 15d renews on day 75",
      lifetime: 90 * day,
      renewBefore: 15 * day,
      expected: at(75 * day),
    },
    {
      name: "a 1h certificate with renewBefore 30m renews after 30m",
      lifetime: hour,
      renewBefore: 30 * minute,
      expected: at(30 * minute),
    },
    {
      name: "without renewBefore or percentage it renews at 2/3 of the lifetime",
      lifetime: 90 * day,
      expected: at(60 * day),
    },
    {
      name: "renewBefore equal to the lifetime falls back to 2/3",
      lifetime: hour,
      renewBefore: hour,
      expected: at(40 * minute),
    },
    {
      name: "renewBefore longer than the lifetime falls back to the percentage",
      lifetime: hour,
      renewBefore: 2 * hour,
      pct: 25,
      expected: at(45 * minute),
    },
    { name: "a zero renewBefore is ignored", lifetime: hour, renewBefore: 0, expected: at(40 * minute) },
    {
      name: "renewBeforePercentage 10 renews at 90% of the lifetime",
      lifetime: 10 * day,
      pct: 10,
      expected: at(9 * day),
    },
    { name: "percentage 0 falls back to 2/3", lifetime: 3 * hour, pct: 0, expected: at(2 * hour) },
    { name: "percentage 100 falls back to 2/3", lifetime: 3 * hour, pct: 100, expected: at(2 * hour) },
    {
      name: "renewBefore wins over percentage when both are valid",
      lifetime: 10 * day,
      renewBefore: day,
      pct: 50,
      expected: at(9 * day),
    },
    { name: "the result is truncated to the second", lifetime: 10_000, expected: at(6_000) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const input = {
        notBefore,
        notAfter: at(c.lifetime),
        ...(c.renewBefore === undefined ? {} : { renewBefore: c.renewBefore }),
        ...(c.pct === undefined ? {} : { renewBeforePercentage: c.pct }),
      };
      assert.deepEqual(renewalTime(input), c.expected);
    });
  }
});
