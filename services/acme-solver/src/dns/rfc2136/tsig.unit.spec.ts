import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { parseTsigAlgorithm, requestMac, signMessage, type TsigKey, verifyResponse } from "./tsig.ts";
import { decodeMessage, encodeName, encodeUpdate } from "./wire.ts";
import { nsupdateAddSha256 } from "./wire.unit.spec.ts";

const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYw==";
// nsupdate 9.18 `update delete _acme-challenge.example.test. IN TXT "probe"` (class NONE), hmac-sha512.
const nsupdateDeleteSha512 =
  "66ee28000001000000010001076578616d706c65047465737400000600010f5f61636d652d6368616c6c656e6765c00c001000fe0000000000060570726f62650861636d652d6b65790000fa00ff00000000005d0b686d61632d7368613531320000006b0a2772012c004043ff4a225d4ee840bf7eca50e0ba3b1bf39450c527441bef42fbb3fdaf40ecde97a40154666dfecf5f557da2bbd01132b6e6c74152af8a4344594ae4b6cd1ae766ee00000000";

/** The message as it was before nsupdate appended its TSIG record. */
function unsignedPart(signed: Buffer): Buffer {
  const decoded = decodeMessage(signed);
  const unsigned = Buffer.from(signed.subarray(0, decoded.tsig!.start));
  unsigned.writeUInt16BE(decoded.counts[3] - 1, 10);
  return unsigned;
}

describe("TSIG request MAC", () => {
  for (const [algorithm, vector] of [
    ["hmac-sha256", nsupdateAddSha256],
    ["hmac-sha512", nsupdateDeleteSha512],
  ] as const) {
    it(`matches the MAC nsupdate computed with ${algorithm}`, () => {
      const signed = Buffer.from(vector, "hex");
      const tsig = decodeMessage(signed).tsig!;
      const mac = requestMac(
        unsignedPart(signed),
        { name: "acme-key", algorithm, secret },
        tsig.timeSigned,
        tsig.fudge,
      );
      assert.equal(mac.toString("hex"), tsig.mac.toString("hex"));
    });
  }

  it("appends a TSIG record that decodes to the same key, time and MAC, and counts it in ARCOUNT", () => {
    const unsigned = encodeUpdate({ id: 0xabcd, zone: "example.test", operations: [] });
    const key: TsigKey = { name: "Acme-Key", algorithm: "hmac-md5", secret };
    const { message, mac } = signMessage(unsigned, key, 1_700_000_000, 300);
    const decoded = decodeMessage(message);
    assert.equal(decoded.counts[3], 1);
    assert.equal(decoded.tsig?.keyName, "acme-key.");
    assert.equal(decoded.tsig?.algorithm, "hmac-md5.sig-alg.reg.int.");
    assert.equal(decoded.tsig?.timeSigned, 1_700_000_000);
    assert.equal(decoded.tsig?.originalId, 0xabcd);
    assert.deepEqual(decoded.tsig?.mac, mac);
  });
});

describe("TSIG response verification", () => {
  const key: TsigKey = { name: "acme-key", algorithm: "hmac-sha256", secret };
  const now = 1_700_000_000;
  const request = signMessage(encodeUpdate({ id: 7, zone: "example.test", operations: [] }), key, now);

  /** What a server sends, derived here independently of tsig.ts: RFC 8945 §4.3.2 with no other data. */
  function serverResponse(signingKey: TsigKey, timeSigned = now): Buffer {
    const unsigned = encodeUpdate({ id: 7, zone: "example.test", operations: [] });
    unsigned.writeUInt16BE(0xa800, 2);
    const name = (text: string) => encodeName(text);
    const u16 = (value: number) => Buffer.from([value >> 8, value & 0xff]);
    const time = Buffer.alloc(6);
    time.writeUIntBE(timeSigned, 0, 6);
    const alg = name("hmac-sha256.");
    const variables = Buffer.concat([
      name(signingKey.name),
      u16(255),
      Buffer.alloc(4),
      alg,
      time,
      u16(300),
      u16(0),
      u16(0),
    ]);
    const mac = createHmac("sha256", Buffer.from(signingKey.secret, "base64"))
      .update(Buffer.concat([u16(request.mac.length), request.mac, unsigned, variables]))
      .digest();
    const rdata = Buffer.concat([alg, time, u16(300), u16(mac.length), mac, u16(7), u16(0), u16(0)]);
    const record = Buffer.concat([
      name(signingKey.name),
      u16(250),
      u16(255),
      Buffer.alloc(4),
      u16(rdata.length),
      rdata,
    ]);
    const response = Buffer.concat([unsigned, record]);
    response.writeUInt16BE(1, 10);
    return response;
  }

  const verify = (response: Buffer, at = now) =>
    verifyResponse(response, decodeMessage(response), key, request.mac, at);

  it("accepts a response signed with the same key over the request MAC", () => {
    assert.equal(verify(serverResponse(key)), "valid");
  });

  it("rejects a response whose MAC was made with another secret", () => {
    assert.equal(
      verify(serverResponse({ ...key, secret: Buffer.from("other").toString("base64") })),
      "badMac",
    );
  });

  it("rejects a tampered response", () => {
    const response = serverResponse(key);
    response.writeUInt16BE(response.readUInt16BE(2) | 0x0400, 2);
    assert.equal(verify(response), "badMac");
  });

  it("rejects a response signed with another key name", () => {
    assert.equal(verify(serverResponse({ ...key, name: "other-key" })), "wrongKey");
  });

  it("rejects a response signed outside the fudge window", () => {
    assert.equal(verify(serverResponse(key), now + 301), "badTime");
  });

  it("reports an unsigned response as such", () => {
    const unsigned = encodeUpdate({ id: 7, zone: "example.test", operations: [] });
    assert.equal(verify(unsigned), "unsigned");
  });
});

describe("TSIG algorithm names", () => {
  it("accepts cert-manager's, bind's and the wire spelling, in any case", () => {
    assert.equal(parseTsigAlgorithm("HMACSHA256"), "hmac-sha256");
    assert.equal(parseTsigAlgorithm("hmacsha512"), "hmac-sha512");
    assert.equal(parseTsigAlgorithm("hmac-sha1"), "hmac-sha1");
    assert.equal(parseTsigAlgorithm("HMAC-MD5.SIG-ALG.REG.INT."), "hmac-md5");
    assert.equal(parseTsigAlgorithm("hmac-sha384"), undefined);
  });
});
