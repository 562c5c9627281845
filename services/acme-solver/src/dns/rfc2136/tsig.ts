// TSIG (RFC 8945): an HMAC over the message and a few "TSIG variables", appended as the last record.
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  absoluteName,
  type DecodedMessage,
  encodeName,
  encodeRecord,
  recordClassCodes,
  recordTypeCodes,
  u16,
  u32,
  u48,
} from "./wire.ts";

export type TsigAlgorithm = "hmac-md5" | "hmac-sha1" | "hmac-sha256" | "hmac-sha512";

export interface TsigKey {
  /** Key name as configured on the server (`acme-key`). */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Base64, as `tsig-keygen` prints it. */
  readonly secret: string;
}

const algorithms: Readonly<Record<TsigAlgorithm, { wireName: string; hash: string }>> = {
  // HMAC-MD5 kept its pre-RFC 4635 name (RFC 8945 §6).
  "hmac-md5": { wireName: "hmac-md5.sig-alg.reg.int.", hash: "md5" },
  "hmac-sha1": { wireName: "hmac-sha1.", hash: "sha1" },
  "hmac-sha256": { wireName: "hmac-sha256.", hash: "sha256" },
  "hmac-sha512": { wireName: "hmac-sha512.", hash: "sha512" },
};

const aliases = new Map<string, TsigAlgorithm>(
  (Object.keys(algorithms) as TsigAlgorithm[]).flatMap((algorithm) => [
    [algorithm, algorithm],
    [algorithm.replace("-", ""), algorithm],
    [algorithms[algorithm].wireName.slice(0, -1), algorithm],
  ]),
);

/** Accepts cert-manager's spelling (`HMACSHA256`, any case), bind's (`hmac-sha256`) and the wire name. */
export function parseTsigAlgorithm(text: string): TsigAlgorithm | undefined {
  return aliases.get(text.trim().toLowerCase().replace(/\.$/, ""));
}

/** RFC 8945 §4.3.3: the fields of the TSIG record that the MAC covers, in canonical form. */
function tsigVariables(fields: {
  keyName: string;
  algorithmWireName: string;
  timeSigned: number;
  fudge: number;
  error: number;
  otherData: Buffer;
}): Buffer {
  return Buffer.concat([
    encodeName(fields.keyName),
    u16(recordClassCodes.ANY),
    u32(0),
    encodeName(fields.algorithmWireName),
    u48(fields.timeSigned),
    u16(fields.fudge),
    u16(fields.error),
    u16(fields.otherData.length),
    fields.otherData,
  ]);
}

function hmac(key: TsigKey, parts: readonly Buffer[]): Buffer {
  const mac = createHmac(algorithms[key.algorithm].hash, Buffer.from(key.secret, "base64"));
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** The request MAC: over the unsigned message, then the TSIG variables (RFC 8945 §4.3.1). */
export function requestMac(unsigned: Buffer, key: TsigKey, timeSigned: number, fudge: number): Buffer {
  const variables = tsigVariables({
    keyName: key.name,
    algorithmWireName: algorithms[key.algorithm].wireName,
    timeSigned,
    fudge,
    error: 0,
    otherData: Buffer.alloc(0),
  });
  return hmac(key, [unsigned, variables]);
}

export interface SignedMessage {
  readonly message: Buffer;
  /** Needed to check the response, whose MAC covers it (RFC 8945 §4.3.2). */
  readonly mac: Buffer;
}

/** Appends the TSIG record and bumps ARCOUNT; `timeSigned` is in seconds since the epoch. */
export function signMessage(unsigned: Buffer, key: TsigKey, timeSigned: number, fudge = 300): SignedMessage {
  const mac = requestMac(unsigned, key, timeSigned, fudge);
  const id = unsigned.readUInt16BE(0);
  const rdata = Buffer.concat([
    encodeName(algorithms[key.algorithm].wireName),
    u48(timeSigned),
    u16(fudge),
    u16(mac.length),
    mac,
    u16(id),
    u16(0),
    u16(0),
  ]);
  const record = encodeRecord({
    name: key.name,
    type: recordTypeCodes.TSIG,
    class: recordClassCodes.ANY,
    ttl: 0,
    rdata,
  });
  const message = Buffer.concat([unsigned, record]);
  message.writeUInt16BE(unsigned.readUInt16BE(10) + 1, 10);
  return { message, mac };
}

export type ResponseVerdict = "valid" | "unsigned" | "wrongKey" | "badMac" | "badTime";

/**
 * Checks a response's TSIG (RFC 8945 §5.3): same key and algorithm, a MAC over the request MAC, the response
 * without its TSIG record (ARCOUNT minus one, original id) and the response's TSIG variables, and a time
 * within the fudge.
 */
export function verifyResponse(
  response: Buffer,
  decoded: DecodedMessage,
  key: TsigKey,
  requestMacValue: Buffer,
  nowSeconds: number,
): ResponseVerdict {
  const tsig = decoded.tsig;
  if (!tsig || tsig.mac.length === 0) return "unsigned";
  const algorithm = algorithms[key.algorithm];
  if (tsig.keyName !== absoluteName(key.name) || tsig.algorithm !== algorithm.wireName) return "wrongKey";
  const signed = Buffer.from(response.subarray(0, tsig.start));
  signed.writeUInt16BE(tsig.originalId, 0);
  signed.writeUInt16BE(decoded.counts[3] - 1, 10);
  const expected = hmac(key, [
    u16(requestMacValue.length),
    requestMacValue,
    signed,
    tsigVariables({
      keyName: tsig.keyName,
      algorithmWireName: tsig.algorithm,
      timeSigned: tsig.timeSigned,
      fudge: tsig.fudge,
      error: tsig.error,
      otherData: tsig.otherData,
    }),
  ]);
  if (expected.length !== tsig.mac.length || !timingSafeEqual(expected, tsig.mac)) return "badMac";
  if (Math.abs(nowSeconds - tsig.timeSigned) > tsig.fudge) return "badTime";
  return "valid";
}
