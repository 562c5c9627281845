import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatProgressBar, progressReporter } from "./progress-bar.ts";

describe("formatProgressBar", () => {
  it("fills the bar in proportion and counts with separators", () => {
    assert.equal(
      formatProgressBar(300_000, 1_000_000, "events"),
      `[${"#".repeat(9)}${".".repeat(21)}]  30%  300,000 of 1,000,000 events`,
    );
  });
  it("never passes 100 % when more arrived than were expected", () => {
    assert.equal(formatProgressBar(12, 10, "events"), `[${"#".repeat(30)}] 100%  12 of 10 events`);
  });
  it("is full for an empty store", () => {
    assert.equal(formatProgressBar(0, 0, "events"), `[${"#".repeat(30)}] 100%  0 of 0 events`);
  });
});

describe("progressReporter", () => {
  const writer = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, out: { isTTY, write: (text: string) => written.push(text) } };
  };
  it("writes one line per tenth reached when not on a terminal", () => {
    const { written, out } = writer(false);
    const progress = progressReporter(out, "rebuild", "events");
    for (const done of [0, 5, 10, 12, 55, 100]) progress.update(done, 100);
    progress.finish();
    assert.deepEqual(
      written.map((line) => line.match(/\d+%/)?.[0]),
      ["0%", "10%", "55%", "100%"],
    );
    assert.ok(written.every((line) => line.startsWith("rebuild [") && line.endsWith("\n")));
  });
  it("redraws one line in place on a terminal and ends it on finish", () => {
    const { written, out } = writer(true);
    const progress = progressReporter(out, "rebuild", "events");
    progress.update(1, 4);
    progress.update(2, 4);
    progress.finish();
    assert.equal(written.length, 3);
    assert.ok(written[0]!.startsWith("\rrebuild [") && written[1]!.includes(" 50%"));
    assert.equal(written[2], "\n");
  });
});
