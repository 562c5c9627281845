import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { childrenOf, MalformedDerError, readBitString, readOid, wholeElement } from "./der-reader.ts";
import { bitString, oid, sequence, TAG, utf8String } from "./der-writer.ts";

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));

describe("DER reader", () => {
  it("reads back what the writer writes, with each element's whole encoding", () => {
    const inner = utf8String("x".repeat(300));
    const der = sequence([oid("1.2.840.113549.1.9.14"), inner]);
    const [first, second] = childrenOf(wholeElement(der, TAG.SEQUENCE));
    assert.equal(readOid(first), "1.2.840.113549.1.9.14");
    assert.deepEqual(second?.der, inner);
    assert.equal(second?.content.length, 300);
  });

  it("reads OIDs with arcs past 2^53 and under the joint arc 2", () => {
    assert.equal(
      readOid(wholeElement(oid("2.25.329800735698586629295641978511506172918"), TAG.OID)),
      "2.25.329800735698586629295641978511506172918",
    );
    assert.equal(readOid(wholeElement(oid("2.999.3"), TAG.OID)), "2.999.3");
  });

  it("reads a BIT STRING's padding", () => {
    assert.deepEqual(readBitString(wholeElement(bitString(Uint8Array.of(0xa0), 5), TAG.BIT_STRING)), {
      bytes: Uint8Array.of(0xa0),
      unusedBits: 5,
    });
  });

  const malformed: Readonly<Record<string, string>> = {
    "a value cut short": "300301",
    "a length cut short": "3082",
    "an indefinite length": "30800000",
    "a length of five octets": "30850000000001",
    "a high tag number": "1f8101",
    "bytes after the value": "300000",
    "a child cut short": "30020401",
    "an OBJECT IDENTIFIER whose last arc continues": "060181",
  };
  for (const [name, hex] of Object.entries(malformed)) {
    it(`refuses ${name}`, () => {
      assert.throws(() => {
        const element = wholeElement(bytes(hex), bytes(hex)[0]!);
        if (element.tag === TAG.OID) readOid(element);
        else childrenOf(element);
      }, MalformedDerError);
    });
  }

  it("refuses an element of another tag than expected", () => {
    assert.throws(() => wholeElement(bytes("3100"), TAG.SEQUENCE), MalformedDerError);
  });
});
