import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseMetricsAddress } from "./listen-address.ts";

describe("parseMetricsAddress", () => {
  it("is off when unset and no fallback is given, as for a service started on its own", () => {
    assert.equal(parseMetricsAddress({}), undefined);
  });

  it("takes the fallback when unset, and `off` turns even that off", () => {
    assert.equal(parseMetricsAddress({}, "127.0.0.1:9402"), "127.0.0.1:9402");
    assert.equal(parseMetricsAddress({ CERTPLANE_METRICS_ADDRESS: "off" }, "127.0.0.1:9402"), undefined);
  });

  it("accepts host:port, [v6]:port and port 0", () => {
    assert.equal(parseMetricsAddress({ CERTPLANE_METRICS_ADDRESS: " 0.0.0.0:9402 " }), "0.0.0.0:9402");
    assert.equal(parseMetricsAddress({ CERTPLANE_METRICS_ADDRESS: "[::1]:0" }), "[::1]:0");
  });

  it("refuses anything else with an error naming the variable", () => {
    for (const value of ["9402", "localhost:", "host:70000", "a b:1"]) {
      assert.throws(
        () => parseMetricsAddress({ CERTPLANE_METRICS_ADDRESS: value }),
        (error: unknown) =>
          error instanceof ValidationError &&
          error.issues[0]?.field === "CERTPLANE_METRICS_ADDRESS" &&
          error.message.includes(`got "${value}"`),
      );
    }
  });
});
