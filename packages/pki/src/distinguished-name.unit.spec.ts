import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { encodeLiteralSubject } from "./distinguished-name.ts";

describe("literal subject", () => {
  it("the RFC 4514 string's last RDN is the DER Name's first", () => {
    const der = encodeLiteralSubject([[{ type: "CN", value: "a" }], [{ type: "O", value: "b" }]]);
    // SEQ { SET { SEQ { 2.5.4.10 "b" } }, SET { SEQ { 2.5.4.3 "a" } } }
    assert.equal(Buffer.from(der).toString("hex"), "3018310a3008060355040a130162310a30080603550403130161");
  });

  it("a hex-encoded (#…) value is refused rather than written wrongly", () => {
    assert.throws(
      () => encodeLiteralSubject([[{ type: "CN", value: "#0c0161" }]]),
      (error: unknown) =>
        error instanceof ValidationError && error.issues[0]?.field === "spec.literalSubject",
    );
  });
});
