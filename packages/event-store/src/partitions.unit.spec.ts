import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { assertPartition, hashSlot, partitionOf } from "./partitions.ts";

describe("partitions", () => {
  it("hashes with 32-bit FNV-1a, so another language's instances split the same way", () => {
    // Published FNV-1a test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    const full = 2 ** 32;
    assert.equal(hashSlot("", full), 0x811c9dc5);
    assert.equal(hashSlot("a", full), 0xe40c292c);
    assert.equal(hashSlot("foobar", full), 0xbf9cf968);
  });

  it("puts a Certificate and its issuance record in one partition, and spreads certificates out", () => {
    assert.equal(partitionOf("certificate-apps_web", 16), partitionOf("certificateIssuance-apps_web", 16));
    const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`certificate-apps_web-${i}`, 16)));
    assert.equal(used.size, 16);
  });

  it("puts the requests and the next key of a Certificate's issuances with the Certificate, and nothing else", () => {
    const home = partitionOf("certificate-apps_web", 16);
    for (const stream of [
      "certificateRequest-apps_web-1",
      "certificateRequest-apps_web-12",
      "secret-apps_web-next-key",
    ]) {
      assert.equal(partitionOf(stream, 16), home, stream);
    }
    // A Certificate named like a revision keeps its own key; only its requests lose the suffix.
    assert.equal(
      partitionOf("certificateRequest-apps_web-1-3", 16),
      partitionOf("certificate-apps_web-1", 16),
    );
    const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`secret-apps_tls-${i}`, 16)));
    assert.equal(spread.size, 16, "other secrets keep their own key");
  });

  it("refuses a partition outside its count, naming the field", () => {
    for (const [partition, field] of [
      [{ index: 0, count: 0 }, "partition.count"],
      [{ index: 2, count: 2 }, "partition.index"],
      [{ index: 0.5, count: 2 }, "partition.index"],
    ] as const) {
      assert.throws(
        () => assertPartition(partition),
        (error) => error instanceof ValidationError && error.issues[0]?.field === field,
      );
    }
  });
});
