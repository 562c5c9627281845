// RFC 4514 distinguished names, as cert-manager reads `spec.literalSubject`: attribute types must be
// ones it can encode (short names below, or dotted OIDs); values keep their escapes resolved.

export interface SubjectAttribute {
  readonly type: string;
  readonly value: string;
}

export type LiteralSubjectReading =
  | {
      readonly ok: true;
      readonly attributes: readonly SubjectAttribute[];
      /** The same attributes grouped by RDN ("+" joins a multi-valued one), in the string's order. */
      readonly rdns: readonly (readonly SubjectAttribute[])[];
    }
  | { readonly ok: false; readonly message: string };

const KNOWN_TYPES = new Set([
  "CN",
  "SERIALNUMBER",
  "C",
  "L",
  "ST",
  "STREET",
  "O",
  "OU",
  "POSTALCODE",
  "UID",
  "DC",
]);
const OID = /^\d+(\.\d+)+$/;

export function parseLiteralSubject(text: string): LiteralSubjectReading {
  const rdns: SubjectAttribute[][] = [];
  for (const rdn of splitUnescaped(text, ",")) {
    const attributes: SubjectAttribute[] = [];
    rdns.push(attributes);
    for (const atv of splitUnescaped(rdn, "+")) {
      const eq = atv.indexOf("=");
      if (eq <= 0) return { ok: false, message: `DN ill-formed: "${atv.trim()}" has no attribute type` };
      const type = atv.slice(0, eq).trim();
      if (!KNOWN_TYPES.has(type.toUpperCase()) && !OID.test(type)) {
        return { ok: false, message: `unknown attribute type "${type}"` };
      }
      const value = unescapeValue(atv.slice(eq + 1).trim());
      if (value === undefined) return { ok: false, message: `DN ill-formed: bad escape in value of ${type}` };
      attributes.push({ type: OID.test(type) ? type : type.toUpperCase(), value });
    }
  }
  return { ok: true, attributes: rdns.flat(), rdns };
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      current += c + text[i + 1];
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string | undefined {
  if (value.startsWith("#")) return /^#([0-9a-fA-F]{2})+$/.test(value) ? value : undefined;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== "\\") {
      bytes.push(...encoder.encode(c));
      continue;
    }
    const next = value.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(next)) {
      bytes.push(Number.parseInt(next, 16));
      i += 2;
    } else if (next !== "" && ',+"\\<>;= #'.includes(next[0]!)) {
      bytes.push(next.charCodeAt(0));
      i += 1;
    } else return undefined;
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
