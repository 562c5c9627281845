// A reader for the few DER structures admission looks into (a CSR's requested extensions, whether a
// CA bundle holds a certificate). The domain imports no crypto library, and reading TLVs is all
// these rules need: nothing here verifies a signature.

export interface DerNode {
  /** The identifier octet as written: class, constructed bit and tag number (< 31) together. */
  readonly tag: number;
  readonly content: Uint8Array;
}

export const DER_TAG = {
  boolean: 0x01,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** `[0]` constructed, as PKCS#10 writes its attributes. */
  context0: 0xa0,
} as const;

/** One TLV at `offset` with a definite length (X.690 §10.1), or undefined when it is cut short. */
function readNode(bytes: Uint8Array, offset: number): { node: DerNode; end: number } | undefined {
  const tag = bytes[offset];
  let lengthByte = bytes[offset + 1];
  if (tag === undefined || lengthByte === undefined || (tag & 0x1f) === 0x1f) return undefined;
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const octets = lengthByte & 0x7f;
    // Indefinite lengths are BER, not DER; more than four length octets is no CSR we could hold.
    if (octets === 0 || octets > 4) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) {
      lengthByte = bytes[start + i];
      if (lengthByte === undefined) return undefined;
      length = length * 256 + lengthByte;
    }
    start += octets;
  }
  const end = start + length;
  return end > bytes.length ? undefined : { node: { tag, content: bytes.subarray(start, end) }, end };
}

/** The whole of `bytes` as exactly one TLV, or undefined. */
export function readDer(bytes: Uint8Array): DerNode | undefined {
  const read = readNode(bytes, 0);
  return read !== undefined && read.end === bytes.length ? read.node : undefined;
}

/** The TLVs a constructed node holds, or undefined when its content is not a run of whole TLVs. */
export function derChildren(node: DerNode): DerNode[] | undefined {
  const children: DerNode[] = [];
  for (let offset = 0; offset < node.content.length; ) {
    const read = readNode(node.content, offset);
    if (read === undefined) return undefined;
    children.push(read.node);
    offset = read.end;
  }
  return children;
}

/** Dotted form of an OBJECT IDENTIFIER's content (X.690 §8.19). */
export function derOid(node: DerNode): string | undefined {
  if (node.tag !== DER_TAG.oid || node.content.length === 0) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (const byte of node.content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join(".");
}

/**
 * The decoded body of every PEM block in `text` whose label matches `label` (a regex fragment, so
 * `(?:NEW )?CERTIFICATE REQUEST` takes the old label too).
 */
export function pemBlocks(text: string, label: string): Uint8Array[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, "g");
  return [...text.matchAll(pattern)].flatMap(([, body]) => {
    const bytes = decodeBase64(body?.replace(/\s+/g, "") ?? "");
    return bytes === undefined ? [] : [bytes];
  });
}

export function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
