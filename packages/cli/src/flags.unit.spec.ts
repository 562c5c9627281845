import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCommandLine } from "./flags.ts";

describe("parseCommandLine", () => {
  it("reads a short flag with = as kubectl does", () => {
    const line = parseCommandLine(["get", "certs", "-o=jsonpath={.items[*].metadata.name}", "-n=demo-apps"]);
    assert.deepEqual(line.words, ["get", "certs"]);
    assert.equal(line.flags.output, "jsonpath={.items[*].metadata.name}");
    assert.equal(line.flags.namespace, "demo-apps");
  });

  it("keeps long flags with = and separate values as they were", () => {
    const line = parseCommandLine(["get", "certs", "--output=json", "-n", "x"]);
    assert.equal(line.flags.output, "json");
    assert.equal(line.flags.namespace, "x");
  });
});
