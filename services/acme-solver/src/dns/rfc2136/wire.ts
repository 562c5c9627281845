// DNS wire format for the few messages certplane sends: UPDATE (RFC 2136 §2) with a TSIG record (RFC 8945 §4.2),
// and just enough decoding to read a response's header and its TSIG record.
//
// Written here because no npm package can sign an UPDATE: `dns-packet` has opcode UPDATE but no class NONE (254,
// needed to delete one value, RFC 2136 §2.5.4), no TSIG rdata codec and no signing; `dns2` and
// `native-dns-packet` have none of it; no package named after tsig, rfc2136 or nsupdate exists.
import { isIPv4 } from "node:net";
import { TransientError, ValidationError } from "@certplane/domain";

export type RecordType = "A" | "NS" | "SOA" | "TXT" | "TSIG";
export const recordTypeCodes: Readonly<Record<RecordType, number>> = {
  A: 1,
  NS: 2,
  SOA: 6,
  TXT: 16,
  TSIG: 250,
};

// NONE and ANY carry the two kinds of delete in an UPDATE section (RFC 2136 §2.5.2, §2.5.4).
export type RecordClass = "IN" | "NONE" | "ANY";
export const recordClassCodes: Readonly<Record<RecordClass, number>> = { IN: 1, NONE: 254, ANY: 255 };

export const opcodeUpdate = 5;

export type RcodeName =
  | "NOERROR"
  | "FORMERR"
  | "SERVFAIL"
  | "NXDOMAIN"
  | "NOTIMP"
  | "REFUSED"
  | "YXDOMAIN"
  | "YXRRSET"
  | "NXRRSET"
  | "NOTAUTH"
  | "NOTZONE";
const rcodeNames: readonly RcodeName[] = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];

export function rcodeName(rcode: number): RcodeName | `RCODE${number}` {
  return rcodeNames[rcode] ?? `RCODE${rcode}`;
}

/** `example.test` and `example.test.` both mean the absolute name; the result always ends with a dot. */
export function absoluteName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** Uncompressed, lower-cased (the canonical form TSIG needs anyway, RFC 8945 §4.3.3). */
export function encodeName(name: string): Buffer {
  const absolute = absoluteName(name);
  const labels = absolute === "." ? [] : absolute.slice(0, -1).split(".");
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, "ascii");
    if (bytes.length === 0 || bytes.length > 63) {
      throw ValidationError.of("name", "dnsLabel", `${name}: every label must be 1 to 63 bytes long`);
    }
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > 255) throw ValidationError.of("name", "dnsName", `${name}: longer than 255 bytes`);
  return wire;
}

/** A TXT value longer than 255 bytes becomes several character-strings, which resolvers join again. */
export function encodeTxtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length || parts.length === 0; offset += 255) {
    const chunk = bytes.subarray(offset, offset + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

export function encodeARdata(address: string): Buffer {
  if (!isIPv4(address)) throw ValidationError.of("address", "ipv4", `${address} is not an IPv4 address`);
  return Buffer.from(address.split(".").map(Number));
}

export function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

export function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

export function u48(value: number): Buffer {
  const buffer = Buffer.alloc(6);
  buffer.writeUIntBE(value, 0, 6);
  return buffer;
}

export interface WireRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Buffer;
}

export function encodeRecord(record: WireRecord): Buffer {
  return Buffer.concat([
    encodeName(record.name),
    u16(record.type),
    u16(record.class),
    u32(record.ttl),
    u16(record.rdata.length),
    record.rdata,
  ]);
}

export type UpdateRecordType = "A" | "TXT";

export type UpdateOperation =
  | {
      readonly action: "add";
      readonly name: string;
      readonly type: UpdateRecordType;
      readonly ttl: number;
      readonly rdata: Buffer;
    }
  | {
      readonly action: "deleteValue";
      readonly name: string;
      readonly type: UpdateRecordType;
      readonly rdata: Buffer;
    }
  | { readonly action: "deleteRRset"; readonly name: string; readonly type: UpdateRecordType };

function operationRecord(operation: UpdateOperation): WireRecord {
  const type = recordTypeCodes[operation.type];
  switch (operation.action) {
    case "add":
      return {
        name: operation.name,
        type,
        class: recordClassCodes.IN,
        ttl: operation.ttl,
        rdata: operation.rdata,
      };
    case "deleteValue":
      return { name: operation.name, type, class: recordClassCodes.NONE, ttl: 0, rdata: operation.rdata };
    case "deleteRRset":
      return { name: operation.name, type, class: recordClassCodes.ANY, ttl: 0, rdata: Buffer.alloc(0) };
  }
}

/** An unsigned UPDATE: header, zone section `<zone> SOA IN`, no prerequisites, the update section. */
export function encodeUpdate(message: {
  readonly id: number;
  readonly zone: string;
  readonly operations: readonly UpdateOperation[];
}): Buffer {
  const header = Buffer.concat([
    u16(message.id),
    u16(opcodeUpdate << 11),
    u16(1),
    u16(0),
    u16(message.operations.length),
    u16(0),
  ]);
  const zone = Buffer.concat([encodeName(message.zone), u16(recordTypeCodes.SOA), u16(recordClassCodes.IN)]);
  return Buffer.concat([header, zone, ...message.operations.map((op) => encodeRecord(operationRecord(op)))]);
}

export interface DecodedTsig {
  /** Offset of the TSIG record: the signed part of the message ends here. */
  readonly start: number;
  readonly keyName: string;
  readonly algorithm: string;
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  /** Extended rcode of the TSIG check (RFC 8945 §5.2): 16 BADSIG, 17 BADKEY, 18 BADTIME. */
  readonly error: number;
  readonly otherData: Buffer;
}

export interface DecodedMessage {
  readonly id: number;
  readonly isResponse: boolean;
  readonly opcode: number;
  readonly truncated: boolean;
  readonly rcode: number;
  readonly counts: readonly [number, number, number, number];
  readonly tsig: DecodedTsig | undefined;
}

class Reader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  need(length: number): void {
    if (this.offset + length > this.buffer.length) malformed(`ends early at byte ${this.offset}`);
  }
  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const value = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  u48(): number {
    this.need(6);
    const value = this.buffer.readUIntBE(this.offset, 6);
    this.offset += 6;
    return value;
  }
  bytes(length: number): Buffer {
    this.need(length);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** Follows compression pointers (RFC 1035 §4.1.4), refusing loops by allowing only backward jumps. */
  name(): string {
    const labels: string[] = [];
    let cursor = this.offset;
    let resumeAt: number | undefined;
    for (;;) {
      if (cursor >= this.buffer.length) malformed(`name runs past the end at byte ${cursor}`);
      const length = this.buffer.readUInt8(cursor);
      if ((length & 0xc0) === 0xc0) {
        if (cursor + 1 >= this.buffer.length) malformed("truncated compression pointer");
        const target = this.buffer.readUInt16BE(cursor) & 0x3fff;
        if (target >= cursor) malformed(`compression pointer at byte ${cursor} does not point backwards`);
        resumeAt ??= cursor + 2;
        cursor = target;
        continue;
      }
      if (length === 0) {
        this.offset = resumeAt ?? cursor + 1;
        return labels.length === 0 ? "." : `${labels.join(".")}.`.toLowerCase();
      }
      if (length > 63) malformed(`label length ${length} at byte ${cursor}`);
      labels.push(this.buffer.toString("ascii", cursor + 1, cursor + 1 + length));
      cursor += 1 + length;
    }
  }
}

function malformed(detail: string): never {
  throw new TransientError(`malformed DNS message: ${detail}`);
}

/** Header plus the TSIG record, which RFC 8945 §5.1 requires to be the last record of the message. */
export function decodeMessage(buffer: Buffer): DecodedMessage {
  const reader = new Reader(buffer);
  const id = reader.u16();
  const flags = reader.u16();
  const counts = [reader.u16(), reader.u16(), reader.u16(), reader.u16()] as const;
  for (let i = 0; i < counts[0]; i++) {
    reader.name();
    reader.bytes(4);
  }
  const records = counts[1] + counts[2] + counts[3];
  let tsig: DecodedTsig | undefined;
  for (let i = 0; i < records; i++) {
    const start = reader.offset;
    const keyName = reader.name();
    const type = reader.u16();
    reader.bytes(6);
    const rdlength = reader.u16();
    const rdataEnd = reader.offset + rdlength;
    if (type === recordTypeCodes.TSIG && i === records - 1 && counts[3] > 0) {
      const algorithm = reader.name();
      const timeSigned = reader.u48();
      const fudge = reader.u16();
      const mac = Buffer.from(reader.bytes(reader.u16()));
      const originalId = reader.u16();
      const error = reader.u16();
      const otherData = Buffer.from(reader.bytes(reader.u16()));
      if (reader.offset !== rdataEnd) malformed("TSIG rdata length does not match its fields");
      tsig = { start, keyName, algorithm, timeSigned, fudge, mac, originalId, error, otherData };
    } else {
      reader.bytes(rdlength);
    }
  }
  return {
    id,
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0xf,
    counts,
    tsig,
  };
}
