import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseStreamName } from "./stream-name.ts";

describe("parseStreamName", () => {
  test("splits at the first dash, so ids may contain dashes", () => {
    assert.deepEqual(parseStreamName("certificateRequest-ns:web~01-a_b"), {
      category: "certificateRequest",
      id: "ns:web~01-a_b",
    });
  });

  test("accepts exactly 200 characters and refuses 201", () => {
    const at = `c-${"x".repeat(198)}`;
    assert.equal(parseStreamName(at).id.length, 198);
    assert.throws(() => parseStreamName(`${at}x`), { field: "stream", message: /at most 200/ });
  });

  for (const [stream, rule] of [
    ["certificate", "format"],
    ["Certificate-a", "category"],
    ["cert9_x-a", "category"],
    ["certificate-a.b", "id"],
    ["certificate-a\tb", "id"],
    ["certificate->", "id"],
  ] as const) {
    test(`refuses ${JSON.stringify(stream)} by rule ${rule}`, () => {
      const error = (() => {
        try {
          parseStreamName(stream);
        } catch (e) {
          return e;
        }
      })();
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(
        error.issues.map((issue) => [issue.field, issue.rule]),
        [["stream", rule]],
      );
    });
  }
});
