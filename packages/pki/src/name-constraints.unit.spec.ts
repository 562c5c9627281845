import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { nameConstraintsExtension } from "./name-constraints.ts";

describe("NameConstraints extension", () => {
  it("writes permitted [0] and excluded [1] subtrees with IMPLICIT GeneralNames (RFC 5280 §4.2.1.10)", () => {
    const extension = nameConstraintsExtension({
      critical: true,
      permitted: { dnsDomains: ["example.com"], ipRanges: ["10.0.0.0/8"] },
      excluded: { emailAddresses: ["bad.example"] },
    });
    assert.equal(extension.type, "2.5.29.30");
    assert.equal(extension.critical, true);
    assert.equal(
      Buffer.from(extension.value).toString("hex"),
      // SEQ { [0] { SEQ { [2] "example.com" }, SEQ { [7] 0a000000 ff000000 } }, [1] { SEQ { [1] "bad.example" } } }
      "302ea01b300d820b6578616d706c652e636f6d300a87080a000000ff000000a10f300d810b6261642e6578616d706c65",
    );
  });

  it("an IPv6 range is the 16-byte address and the 16-byte mask", () => {
    const extension = nameConstraintsExtension({ permitted: { ipRanges: ["fd00::/8"] } });
    assert.equal(extension.critical, false);
    const hex = Buffer.from(extension.value).toString("hex");
    assert.ok(hex.endsWith(`8720fd${"00".repeat(15)}ff${"00".repeat(15)}`), hex);
  });

  it("a range that is not a CIDR is refused", () => {
    assert.throws(
      () => nameConstraintsExtension({ permitted: { ipRanges: ["10.0.0.0"] } }),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.rule === "cidr",
    );
  });
});
