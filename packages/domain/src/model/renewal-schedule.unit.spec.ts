import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renewalSchedule } from "./renewal-schedule.ts";
import { placeInRenewalWindows } from "./renewal-windows.ts";

const notBefore = new Date("2026-01-01T00:00:00Z");
const notAfter = new Date("2026-04-01T00:00:00Z");
const base = new Date("2026-03-01T15:30:00Z"); // a Sunday

describe("renewal schedule", () => {
  it("keeps the basic time without policy, jitter or windows", () => {
    assert.deepEqual(renewalSchedule({ baseRenewalTime: base, notBefore, notAfter }), {
      kind: "scheduled",
      renewalTime: base,
    });
  });

  it("has no renewal time when the policy is Disabled", () => {
    const schedule = renewalSchedule({
      baseRenewalTime: base,
      notBefore,
      notAfter,
      renewal: { policy: "Disabled" },
    });
    assert.deepEqual(schedule, { kind: "disabled" });
  });

  it("jitters deterministically per key, never earlier, within the bound, on whole seconds", () => {
    const times = ["a", "b", "c", "d"].map((key) => {
      const schedule = renewalSchedule({
        baseRenewalTime: base,
        notBefore,
        notAfter,
        jitter: { maxMs: 3_600_000, key },
      });
      assert.equal(schedule.kind, "scheduled");
      return schedule.kind === "scheduled" ? schedule.renewalTime.getTime() : 0;
    });
    const again = renewalSchedule({
      baseRenewalTime: base,
      notBefore,
      notAfter,
      jitter: { maxMs: 3_600_000, key: "a" },
    });
    assert.equal(again.kind === "scheduled" && again.renewalTime.getTime(), times[0]);
    for (const t of times) {
      assert.ok(t >= base.getTime() && t <= base.getTime() + 3_600_000);
      assert.equal(t % 1000, 0);
    }
    assert.ok(new Set(times).size > 1, "different certificates spread out");
  });

  it("moves a renewal outside every window to the next window start", () => {
    // Windows open at 02:00 on weekdays for 3h; Sunday 15:30 moves to Monday 02:00.
    const schedule = renewalSchedule({
      baseRenewalTime: base,
      notBefore,
      notAfter,
      renewal: { windows: [{ cron: "0 2 * * 1-5", windowDuration: "3h" }] },
    });
    assert.deepEqual(schedule, { kind: "scheduled", renewalTime: new Date("2026-03-02T02:00:00Z") });
  });

  it("keeps a renewal that already falls inside a window", () => {
    const inside = new Date("2026-03-02T03:15:00Z");
    const placed = placeInRenewalWindows(inside, [{ cron: "0 2 * * 1-5", windowDuration: "3h" }], {
      notBefore,
      notAfter,
    });
    assert.deepEqual(placed, { ok: true, time: inside });
  });

  it("picks the earliest start among several windows", () => {
    const placed = placeInRenewalWindows(
      base,
      [
        { cron: "0 2 * * 1", windowDuration: "1h" },
        { cron: "0 20 * * *", windowDuration: "1h" },
      ],
      { notBefore, notAfter },
    );
    assert.deepEqual(placed, { ok: true, time: new Date("2026-03-01T20:00:00Z") });
  });

  it("evaluates the cron in the window's time zone", () => {
    // 02:00 in New York (EST, UTC−5) on Monday 2 March is 07:00 UTC.
    const placed = placeInRenewalWindows(
      base,
      [{ cron: "0 2 * * 1", windowDuration: "1h", timezone: "America/New_York" }],
      { notBefore, notAfter },
    );
    assert.deepEqual(placed, { ok: true, time: new Date("2026-03-02T07:00:00Z") });
  });

  it("reports a WindowError and keeps the desired time when no window opens before expiry", () => {
    // 31 February never comes.
    const schedule = renewalSchedule({
      baseRenewalTime: base,
      notBefore,
      notAfter,
      renewal: { windows: [{ cron: "0 0 31 2 *", windowDuration: "1h" }] },
    });
    assert.equal(schedule.kind, "scheduled");
    if (schedule.kind !== "scheduled") return;
    assert.deepEqual(schedule.renewalTime, base);
    assert.match(schedule.windowError ?? "", /no renewal window opens/);
  });
});
