// Reading DER (X.690 §10) in place, for what is read on every issuance: a CSR's parts and its
// requested extensions. The asn1js object model behind @peculiar/x509 cost more to read a CSR than
// the signature checks (issue 14). Each element keeps its whole encoding as well as its content,
// because a signature covers the encoding exactly as it was written.
import { TAG } from "./der-writer.ts";

export interface DerElement {
  /** The identifier octet: class, constructed bit and a low tag number (< 31). */
  readonly tag: number;
  /** Identifier, length and content octets. */
  readonly der: Uint8Array;
  readonly content: Uint8Array;
}

/** DER that is cut short, indefinite, or not of the shape the reader expected. */
export class MalformedDerError extends Error {
  override readonly name = "MalformedDerError";
}

/** The element that starts at `offset` of `bytes`. */
export function elementAt(bytes: Uint8Array, offset: number): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new MalformedDerError("DER is cut short");
  if ((tag & 0x1f) === 0x1f) throw new MalformedDerError("high tag numbers are not used here");
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const octets = first & 0x7f;
    // 0 is BER's indefinite length; over four octets is more than any certificate or CSR holds.
    if (octets === 0 || octets > 4) throw new MalformedDerError("DER length is indefinite or too long");
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (bytes[start + i] ?? Number.NaN);
    start += octets;
  }
  const end = start + length;
  if (!(end <= bytes.length)) throw new MalformedDerError("DER is cut short");
  return { tag, der: bytes.subarray(offset, end), content: bytes.subarray(start, end) };
}

/** `bytes` as exactly one element of tag `tag`. */
export function wholeElement(bytes: Uint8Array, tag: number): DerElement {
  const element = elementAt(bytes, 0);
  if (element.der.length !== bytes.length) throw new MalformedDerError("bytes follow the DER value");
  return expectTag(element, tag);
}

export function expectTag(element: DerElement | undefined, tag: number): DerElement {
  if (element?.tag !== tag) {
    throw new MalformedDerError(`expected tag 0x${tag.toString(16)}, found ${element?.tag ?? "nothing"}`);
  }
  return element;
}

/** The elements a constructed element holds, in order. */
export function childrenOf(element: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = elementAt(element.content, offset);
    children.push(child);
    offset += child.der.length;
  }
  return children;
}

/** Dotted form of an OBJECT IDENTIFIER (X.690 §8.19); BigInt because arcs such as UUIDs pass 2^53. */
export function readOid(element: DerElement | undefined): string {
  const { content } = expectTag(element, TAG.OID);
  if (content.length === 0 || (content[content.length - 1]! & 0x80) !== 0) {
    throw new MalformedDerError("OBJECT IDENTIFIER is cut short");
  }
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [first = 0n, ...rest] = arcs;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...rest].join(".");
}

/** A BOOLEAN's value; DER writes TRUE as 0xff, but any non-zero octet is read as true as BER allows. */
export function readBoolean(element: DerElement | undefined): boolean {
  const { content } = expectTag(element, TAG.BOOLEAN);
  if (content.length !== 1) throw new MalformedDerError("BOOLEAN is not one octet");
  return content[0] !== 0;
}

/** A BIT STRING's octets and how many bits of the last one are padding. */
export function readBitString(element: DerElement | undefined): {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
} {
  const { content } = expectTag(element, TAG.BIT_STRING);
  const unusedBits = content[0];
  if (unusedBits === undefined || unusedBits > 7 || (content.length === 1 && unusedBits !== 0)) {
    throw new MalformedDerError("BIT STRING has no or too many unused bits");
  }
  return { bytes: content.subarray(1), unusedBits };
}
