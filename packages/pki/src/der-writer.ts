// DER (X.690 §10) primitives that write bytes directly. We write our own because building a
// certificate through the asn1js object model behind @peculiar/x509 costs about a hundred times the
// key generation and signatures themselves (issue 14), and no well-kept npm library writes DER without
// such an object model. Only what certificates and CSRs need is here: low tag numbers, definite
// lengths, and the universal types RFC 5280 uses.
import { ValidationError } from "@certplane/domain";

/** Universal tags (X.690 §8.1.2, with the constructed bit where the type is constructed). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONTEXT_PRIMITIVE = 0x80;
const CONTEXT_CONSTRUCTED = 0xa0;

/** Bytes the header of a value with `length` content octets takes (X.690 §8.1.3: short or long form). */
function headerSize(length: number): number {
  if (length < 0x80) return 2;
  let size = 3;
  for (let rest = length; rest > 0xff; rest >>>= 8) size++;
  return size;
}

function writeHeader(out: Uint8Array, tag: number, length: number): number {
  out[0] = tag;
  if (length < 0x80) {
    out[1] = length;
    return 2;
  }
  const lengthOctets = headerSize(length) - 2;
  out[1] = 0x80 | lengthOctets;
  for (let i = 0; i < lengthOctets; i++) out[2 + i] = (length >>> (8 * (lengthOctets - 1 - i))) & 0xff;
  return 2 + lengthOctets;
}

/** One value whose content octets are `content`. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(headerSize(content.length) + content.length);
  out.set(content, writeHeader(out, tag, content.length));
  return out;
}

/** One constructed value whose content is `parts` one after another; copies each part once. */
function constructed(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(headerSize(length) + length);
  let offset = writeHeader(out, tag, length);
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const sequence = (parts: readonly Uint8Array[]): Uint8Array => constructed(TAG.SEQUENCE, parts);
/** SET OF with elements already in DER order (X.690 §11.6); callers here only ever pass one. */
export const set = (parts: readonly Uint8Array[]): Uint8Array => constructed(TAG.SET, parts);

/** `[number] IMPLICIT` of a primitive type: the content octets under a context tag. */
export const contextPrimitive = (number: number, content: Uint8Array): Uint8Array =>
  tlv(CONTEXT_PRIMITIVE | number, content);

/** `[number]` constructed: EXPLICIT around one value, or IMPLICIT SEQUENCE OF / CHOICE content. */
export const contextConstructed = (number: number, parts: readonly Uint8Array[]): Uint8Array =>
  constructed(CONTEXT_CONSTRUCTED | number, parts);

export const TRUE: Uint8Array = Uint8Array.of(TAG.BOOLEAN, 1, 0xff);
export const NULL: Uint8Array = Uint8Array.of(TAG.NULL, 0);

/**
 * A non-negative INTEGER from big-endian hex (odd length allowed): leading zero octets dropped and
 * one added back when the high bit is set, so the encoding is the minimal two's complement form.
 */
export function unsignedIntegerFromHex(hex: string): Uint8Array {
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex");
  let first = 0;
  while (first < bytes.length - 1 && bytes[first] === 0) first++;
  const magnitude = bytes.subarray(first);
  if (magnitude.length === 0) return Uint8Array.of(TAG.INTEGER, 1, 0);
  const pad = magnitude[0]! > 0x7f ? 1 : 0;
  const out = new Uint8Array(headerSize(magnitude.length + pad) + magnitude.length + pad);
  out.set(magnitude, writeHeader(out, TAG.INTEGER, magnitude.length + pad) + pad);
  return out;
}

/** OBJECT IDENTIFIER (X.690 §8.19); call once per constant OID at module load, not per certificate. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(BigInt);
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw ValidationError.of("oid", "oid", `${dotted} is not an object identifier`);
  }
  const content: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const base128: number[] = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) base128.unshift(Number(value & 0x7fn) | 0x80);
    content.push(...base128);
  }
  return tlv(TAG.OID, Uint8Array.from(content));
}

/** BIT STRING whose last `unusedBits` bits (of the last octet) are padding. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  const out = new Uint8Array(headerSize(bytes.length + 1) + bytes.length + 1);
  const offset = writeHeader(out, TAG.BIT_STRING, bytes.length + 1);
  out[offset] = unusedBits;
  out.set(bytes, offset + 1);
  return out;
}

/**
 * A named-bit BIT STRING (KeyUsage) from flags where bit i of `flags` is named bit i: trailing zero
 * bits are left out, as X.690 §11.2.2 requires.
 */
export function namedBitString(flags: number): Uint8Array {
  const bitLength = 32 - Math.clz32(flags);
  const octets = new Uint8Array((bitLength + 7) >> 3);
  for (let bit = 0; bit < bitLength; bit++) {
    if ((flags >>> bit) & 1) octets[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return bitString(octets, octets.length * 8 - bitLength);
}

export const octetString = (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes);

export const utf8String = (text: string): Uint8Array => tlv(TAG.UTF8_STRING, Buffer.from(text, "utf8"));

/** The octets of an IA5String (ASCII); `field` names the input in the error when it is not ASCII. */
export function ia5Bytes(text: string, field: string): Uint8Array {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IA5 is exactly the 7-bit range.
  if (!/^[\x00-\x7f]*$/.test(text)) {
    throw ValidationError.of(field, "ia5", `${field} must be ASCII (IA5String)`);
  }
  return Buffer.from(text, "latin1");
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * RFC 5280 §4.1.2.5 Time: UTCTime (YYMMDDHHMMSSZ) for 1950 through 2049, GeneralizedTime
 * (YYYYMMDDHHMMSSZ) otherwise; always UTC, whole seconds (fractions are dropped).
 */
export function time(date: Date, field: string): Uint8Array {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw ValidationError.of(field, "range", `${field} must fall in the years 0000..9999`);
  }
  const rest =
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds());
  return year >= 1950 && year <= 2049
    ? tlv(TAG.UTC_TIME, Buffer.from(`${two(year % 100)}${rest}Z`, "latin1"))
    : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${String(year).padStart(4, "0")}${rest}Z`, "latin1"));
}
