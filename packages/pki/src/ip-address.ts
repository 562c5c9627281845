// IP addresses between their text form and the 4 or 16 octets X.509 holds them in (a SAN's
// iPAddress, a NameConstraints range's address).

/** Canonical text form (RFC 5952 for IPv6) so that IPs compare as strings. */
export function canonicalIp(ip: string): string {
  return ip.includes(":") ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}

/** The 4 or 16 octets of `ip` (IPv6 in any RFC 4291 §2.2 form), or undefined when it is not an IP. */
export function ipAddressBytes(ip: string): Uint8Array | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const octets = ip.split(".").map(Number);
    return octets.every((octet) => octet <= 255) ? Uint8Array.from(octets) : undefined;
  }
  if (!ip.includes(":")) return undefined;
  // canonicalIp (WHATWG URL parsing) validates and turns an embedded IPv4 tail into hex groups, so
  // only "::" is left to expand.
  let canonical: string;
  try {
    canonical = canonicalIp(ip);
  } catch {
    return undefined;
  }
  const [head = "", tail = ""] = canonical.split("::");
  const groups = (text: string) => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return Uint8Array.from(
    all.flatMap((group) => {
      const value = Number.parseInt(group, 16);
      return [value >> 8, value & 0xff];
    }),
  );
}

/** The canonical text of a 4- or 16-octet address, or undefined for any other length. */
export function ipAddressText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonicalIp(groups.join(":"));
}
