import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { ALL_USAGES, decodeUsages, encodeUsages, KEY_USAGE_BITS } from "./usages.ts";

describe("usages", () => {
  it("knows the 23 cert-manager usage strings", () => {
    assert.equal(ALL_USAGES.length, 23);
  });

  it("defaults to digital signature and key encipherment", () => {
    assert.deepEqual(encodeUsages([], false), {
      keyUsage: KEY_USAGE_BITS.digitalSignature | KEY_USAGE_BITS.keyEncipherment,
      extKeyUsages: [],
    });
  });

  it("adds cert sign for a CA", () => {
    assert.equal(
      encodeUsages([], true).keyUsage,
      KEY_USAGE_BITS.digitalSignature | KEY_USAGE_BITS.keyEncipherment | KEY_USAGE_BITS.keyCertSign,
    );
  });

  it("maps extended usages to OIDs in order and folds s/mime into email protection", () => {
    const encoded = encodeUsages(
      ["client auth", "server auth", "s/mime", "email protection", "signing"],
      false,
    );
    assert.equal(encoded.keyUsage, KEY_USAGE_BITS.digitalSignature);
    assert.deepEqual(encoded.extKeyUsages, ["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.4"]);
  });

  it("rejects unknown usages, naming them", () => {
    assert.throws(
      () => encodeUsages(["server auth", "world domination"], false),
      (error: unknown) => error instanceof ValidationError && /world domination/.test(error.message),
    );
  });

  it("decodes every usage back to its canonical string", () => {
    for (const usage of ALL_USAGES) {
      const encoded = encodeUsages([usage], false);
      const canonical =
        { signing: "digital signature", "s/mime": "email protection" }[usage as string] ?? usage;
      assert.deepEqual(decodeUsages(encoded.keyUsage, encoded.extKeyUsages), [canonical]);
    }
  });
});
