// Small builders over node-forge's ASN.1 DER writer, for the structures assembled here (PKCS#12,
// JKS, NameConstraints) that no well-kept npm library writes with the parameters we need.
import forge from "node-forge";

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

const binary = (bytes: Uint8Array) => Buffer.from(bytes).toString("binary");

export const der = {
  seq: (items: readonly Asn1[]): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [...items]),
  set: (items: readonly Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [...items]),
  oid: (oid: string): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
  octets: (bytes: Uint8Array): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, binary(bytes)),
  int: (value: number): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes()),
  null: (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ""),
  utf8: (text: string): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(text)),
  /** A BMPString, as PKCS#9 friendlyName wants it (forge writes the UTF-16BE itself). */
  bmp: (text: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, text),
  /** `[0] EXPLICIT` around one value. */
  explicit0: (inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]),
  /** `[tag] IMPLICIT` of a primitive value (OCTET STRING, IA5String …): its content octets. */
  implicit: (tag: number, bytes: Uint8Array): Asn1 =>
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, binary(bytes)),
  /** `[tag] IMPLICIT SEQUENCE OF …`. */
  implicitSeq: (tag: number, items: readonly Asn1[]): Asn1 =>
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [...items]),
  encode: (value: Asn1): Buffer => Buffer.from(asn1.toDer(value).getBytes(), "binary"),
  decode: (bytes: Uint8Array): Asn1 => asn1.fromDer(forge.util.createBuffer(binary(bytes))),
};
