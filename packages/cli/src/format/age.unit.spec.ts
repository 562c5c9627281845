import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAge } from "./age.ts";

describe("formatAge", () => {
  const cases: readonly [number, string][] = [
    [-5_000, "0s"],
    [5_000, "5s"],
    [59_999, "59s"],
    [3 * 60_000 + 20_000, "3m"],
    [2 * 3_600_000 + 59 * 60_000, "2h"],
    [4 * 86_400_000 + 3_600_000, "4d"],
    [400 * 86_400_000, "1y"],
  ];
  for (const [ms, expected] of cases) {
    it(`prints ${ms} ms as ${expected}`, () => assert.equal(formatAge(ms), expected));
  }
});
