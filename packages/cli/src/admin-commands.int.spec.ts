import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RebuildReadModelsRequest, RebuildReadModelsStatus } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { runAgainst } from "./testing/cli-harness.ts";

const startedAt = "2026-01-10T09:00:00.000Z";
const running = (folded: number): RebuildReadModelsStatus => ({
  id: "r-1",
  state: "running",
  folded,
  total: 1_000,
  startedAt,
});

/** A server whose rebuild moves on by the given steps, one per status long-poll. */
function rebuildingServer(steps: readonly RebuildReadModelsStatus[]) {
  let next = 0;
  return new FakeCertplaneApi({
    rebuildReadModels: async (_request: RebuildReadModelsRequest) =>
      steps[Math.min(next++, steps.length - 1)]!,
  });
}

describe("certctl admin rebuild", () => {
  it("starts a rebuild, follows it with long-polls and draws progress until done", async () => {
    const fake = rebuildingServer([
      running(0),
      running(400),
      running(1_000),
      {
        ...running(1_002),
        state: "done",
        finishedAt: "2026-01-10T09:00:09.500Z",
        position: "1002",
      },
    ]);
    const run = await runAgainst(fake, ["admin", "rebuild"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.callsTo("rebuildReadModels"), [
      {},
      { id: "r-1", waitMs: 2_000 },
      { id: "r-1", waitMs: 2_000 },
      { id: "r-1", waitMs: 2_000 },
    ]);
    const bars = run.stderr.trimEnd().split("\n");
    assert.deepEqual(
      bars.map((line) => line.match(/(\d+)%/)?.[1]),
      ["0", "40", "100"],
    );
    assert.match(bars[1]!, /^rebuilding read models \[#{12}\.{18}\] {2}40% {2}400 of 1,000 events$/);
    assert.equal(
      run.stdout,
      "read models rebuilt from 1,002 events (through position 1002) in 9.5s; answering from them now\n",
    );
  });

  it("says what failed and what to do next, with exit code 1", async () => {
    const fake = rebuildingServer([
      running(0),
      { ...running(10), state: "failed", finishedAt: startedAt, message: "store closed" },
    ]);
    const run = await runAgainst(fake, ["admin", "rebuild"]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /error: the read-model rebuild failed: store closed; the previous read models keep answering\. See intake's log, then run "certctl admin rebuild" again\n$/,
    );
  });

  it("refuses a missing or unknown action before asking the server", async () => {
    const fake = new FakeCertplaneApi();
    const missing = await runAgainst(fake, ["admin"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: missing action rebuild; usage: certctl admin rebuild\n/);
    const unknown = await runAgainst(fake, ["admin", "compact"]);
    assert.match(unknown.stderr, /^error: unknown admin action "compact"; accepted: rebuild\n/);
    assert.deepEqual(fake.calls, []);
  });
});
