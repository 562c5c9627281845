// cert-manager accepts an email SAN only if Go's mail.ParseAddress reads it *and* the result is the
// input itself: a bare RFC 5322 addr-spec, no display name, no angle brackets, no `mailto:`.

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uFFFF]+";
const DOT_ATOM = `${ATEXT}(\\.${ATEXT})*`;
const QUOTED = '"([^"\\\\]|\\\\.)*"';
const DOMAIN_LITERAL = "\\[[^\\[\\]\\\\]*\\]";
const addrSpec = new RegExp(`^(${DOT_ATOM}|${QUOTED})@(${DOT_ATOM}|${DOMAIN_LITERAL})$`);
const nameAddr = /^[^<>]*<([^<>]+)>\s*$/;

/** Why `value` is not a bare email address, or `undefined` when it is one. */
export function emailAddressProblem(value: string): string | undefined {
  if (addrSpec.test(value)) return undefined;
  const trimmed = value.trim();
  const inner = nameAddr.exec(trimmed)?.[1]?.trim() ?? trimmed;
  if (addrSpec.test(inner)) {
    return "invalid email address: make sure the supplied value only contains the email address itself";
  }
  return inner.includes("@")
    ? "invalid email address: mail: invalid addr-spec"
    : "invalid email address: mail: missing @ in addr-spec";
}
