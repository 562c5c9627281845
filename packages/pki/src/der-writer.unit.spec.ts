import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { namedBitString, octetString, oid, time, unsignedIntegerFromHex } from "./der-writer.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const rules = (error: unknown) => (error instanceof ValidationError ? error.issues.map((i) => i.rule) : []);

describe("der-writer", () => {
  it("writes short-form lengths up to 127 and long-form lengths from 128 on (X.690 §8.1.3)", () => {
    const header = (length: number) => hex(octetString(new Uint8Array(length)).subarray(0, 5));
    assert.equal(header(127).slice(0, 4), "047f");
    assert.equal(header(128).slice(0, 6), "048180");
    assert.equal(header(255).slice(0, 6), "0481ff");
    assert.equal(header(256).slice(0, 8), "04820100");
    assert.equal(header(65536), "0483010000");
  });

  it("writes positive integers in their shortest two's complement form", () => {
    assert.equal(hex(unsignedIntegerFromHex("01")), "020101");
    assert.equal(hex(unsignedIntegerFromHex("80")), "02020080");
    assert.equal(hex(unsignedIntegerFromHex("000080")), "02020080");
    assert.equal(hex(unsignedIntegerFromHex("0001")), "020101");
    assert.equal(hex(unsignedIntegerFromHex("abc")), "02020abc");
    assert.equal(hex(unsignedIntegerFromHex("00")), "020100");
  });

  it("writes object identifiers with base-128 arcs", () => {
    assert.equal(hex(oid("1.2.840.113549.1.1.11")), "06092a864886f70d01010b");
    assert.equal(hex(oid("2.5.29.37.0")), "0604551d2500");
    // 2^64: an arc past Number's integer range.
    assert.equal(hex(oid("2.999.18446744073709551616")), "060c883782808080808080808000");
    assert.throws(
      () => oid("1.40"),
      (e) => rules(e).includes("oid"),
    );
  });

  it("leaves trailing zero bits out of named-bit strings", () => {
    assert.equal(hex(namedBitString(0b101)), "030205a0");
    assert.equal(hex(namedBitString(0x80)), "03020001");
    assert.equal(hex(namedBitString(0x100)), "0303070080");
  });

  it("writes UTCTime from 1950 through 2049 and GeneralizedTime otherwise (RFC 5280 §4.1.2.5)", () => {
    const text = (iso: string) => {
      const der = time(new Date(iso), "notAfter");
      return `${der[0]!.toString(16)} ${Buffer.from(der.subarray(2)).toString("latin1")}`;
    };
    assert.equal(text("1950-01-01T00:00:00Z"), "17 500101000000Z");
    assert.equal(text("2049-12-31T23:59:59.999Z"), "17 491231235959Z");
    assert.equal(text("2050-01-01T00:00:00Z"), "18 20500101000000Z");
    assert.equal(text("1949-12-31T23:59:59Z"), "18 19491231235959Z");
    assert.throws(
      () => time(new Date("+010000-01-01T00:00:00Z"), "notAfter"),
      (e) => rules(e).includes("range"),
    );
  });
});
