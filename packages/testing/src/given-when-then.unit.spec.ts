import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Decider, type DomainEvent, ValidationError } from "@certplane/domain";
import { given } from "./given-when-then.ts";

type CounterEvent = DomainEvent<"Incremented", { by: number }>;
type CounterCommand = { type: "Increment"; by: number; max: number };

const counter: Decider<CounterCommand, CounterEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.data.by,
  decide: (command, state) => {
    if (state + command.by > command.max) throw ValidationError.of("by", "overMax", "would pass the maximum");
    return [{ type: "Incremented", data: { by: command.by } }];
  },
};

describe("given/when/then for deciders", () => {
  it("passes when the decided events equal the expected ones", () => {
    const events = given(counter, [{ type: "Incremented", data: { by: 2 } }])
      .when({ type: "Increment", by: 1, max: 3 })
      .then([{ type: "Incremented", data: { by: 1 } }]);
    assert.equal(events.length, 1);
  });

  it("fails when the decided events differ", () => {
    assert.throws(
      () => given(counter).when({ type: "Increment", by: 1, max: 3 }).then([]),
      assert.AssertionError,
    );
  });

  it("folds the past events before deciding, so history changes the outcome", () => {
    given(counter, [{ type: "Incremented", data: { by: 3 } }])
      .when({ type: "Increment", by: 1, max: 3 })
      .thenThrows(ValidationError);
  });

  it("fails thenThrows when the decider does not throw", () => {
    assert.throws(
      () => given(counter).when({ type: "Increment", by: 1, max: 3 }).thenThrows(),
      assert.AssertionError,
    );
  });
});
