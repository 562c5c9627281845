import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { decodeMessage, encodeName, encodeTxtRdata, encodeUpdate } from "./wire.ts";

const hex = (text: string) => text.replace(/\s+/g, "");
const zoneName = "07 6578616d706c65 04 74657374 00"; // example.test.
const ownerName = `0f 5f61636d652d6368616c6c656e6765 ${zoneName}`; // _acme-challenge.example.test.
const header = (updates: string) => `1234 2800 0001 0000 ${updates} 0000`; // id, opcode UPDATE, ZO=1, UP=n
const zoneSection = `${zoneName} 0006 0001`; // SOA IN

// nsupdate 9.18 `update add _acme-challenge.example.test. 60 IN TXT "probe"`, key acme-key/hmac-sha256.
export const nsupdateAddSha256 =
  "e70628000001000000010001076578616d706c65047465737400000600010f5f61636d652d6368616c6c656e6765c00c001000010000003c00060570726f62650861636d652d6b65790000fa00ff00000000003d0b686d61632d7368613235360000006b0a276e012c0020741ed444c997300e840003dabac9d6cbeb7971ecec7f89476112d649dee44245e70600000000";

describe("DNS wire encoding", () => {
  it("writes names uncompressed and lower-cased, with or without the trailing dot", () => {
    assert.equal(encodeName("Example.TEST").toString("hex"), hex(zoneName));
    assert.equal(encodeName("example.test.").toString("hex"), hex(zoneName));
    assert.equal(encodeName(".").toString("hex"), "00");
  });

  it("rejects a label longer than 63 bytes", () => {
    assert.throws(() => encodeName(`${"a".repeat(64)}.test`), ValidationError);
  });

  it("splits a TXT value into character-strings of at most 255 bytes", () => {
    const rdata = encodeTxtRdata("x".repeat(300));
    assert.equal(rdata.length, 302);
    assert.equal(rdata[0], 255);
    assert.equal(rdata[256], 45);
    assert.equal(encodeTxtRdata("").toString("hex"), "00");
  });

  it("encodes an add as class IN with the TTL and the TXT rdata", () => {
    const message = encodeUpdate({
      id: 0x1234,
      zone: "example.test",
      operations: [
        {
          action: "add",
          name: "_acme-challenge.example.test",
          type: "TXT",
          ttl: 60,
          rdata: encodeTxtRdata("probe"),
        },
      ],
    });
    const record = `${ownerName} 0010 0001 0000003c 0006 05 70726f6265`;
    assert.equal(message.toString("hex"), hex(`${header("0001")} ${zoneSection} ${record}`));
  });

  it("encodes delete-one-value as class NONE, TTL 0, and delete-RRset as class ANY without rdata", () => {
    const message = encodeUpdate({
      id: 0x1234,
      zone: "example.test.",
      operations: [
        {
          action: "deleteValue",
          name: "_acme-challenge.example.test",
          type: "TXT",
          rdata: encodeTxtRdata("probe"),
        },
        { action: "deleteRRset", name: "_acme-challenge.example.test", type: "TXT" },
      ],
    });
    const deleteOne = `${ownerName} 0010 00fe 00000000 0006 05 70726f6265`;
    const deleteSet = `${ownerName} 0010 00ff 00000000 0000`;
    assert.equal(message.toString("hex"), hex(`${header("0002")} ${zoneSection} ${deleteOne} ${deleteSet}`));
  });
});

describe("DNS wire decoding", () => {
  it("reads the header and the TSIG record of nsupdate's message, following a compression pointer", () => {
    const decoded = decodeMessage(Buffer.from(nsupdateAddSha256, "hex"));
    assert.equal(decoded.id, 0xe706);
    assert.equal(decoded.opcode, 5);
    assert.equal(decoded.isResponse, false);
    assert.deepEqual(decoded.counts, [1, 0, 1, 1]);
    assert.equal(decoded.tsig?.keyName, "acme-key.");
    assert.equal(decoded.tsig?.algorithm, "hmac-sha256.");
    assert.equal(decoded.tsig?.timeSigned, 0x6b0a276e);
    assert.equal(decoded.tsig?.fudge, 300);
    assert.equal(decoded.tsig?.mac.length, 32);
    assert.equal(decoded.tsig?.originalId, 0xe706);
    assert.equal(decoded.tsig?.start, 64); // 12 header + 18 zone section + 34 update record
  });

  it("reads rcode and truncation from a response header", () => {
    const response = Buffer.from(hex(`1234 aa05 0001 0000 0000 0000 ${zoneSection}`), "hex");
    const decoded = decodeMessage(response);
    assert.equal(decoded.isResponse, true);
    assert.equal(decoded.rcode, 5);
    assert.equal(decoded.truncated, true);
    assert.equal(decoded.tsig, undefined);
  });

  it("rejects a message that ends in the middle of a record", () => {
    assert.throws(() => decodeMessage(Buffer.from(nsupdateAddSha256, "hex").subarray(0, 60)), /malformed/);
  });
});
