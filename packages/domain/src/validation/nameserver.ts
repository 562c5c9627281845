// DNS server addresses as cert-manager's ValidNameserver reads them (net.SplitHostPort): host[:port],
// an IPv6 host in brackets, port 1-65535 and 53 when left out.

/**
 * A bare IPv6 address (`2001:db8::1`) is refused as SplitHostPort refuses it: `::1:53` could be
 * either an address or an address and a port, so the brackets are what says which.
 */
export function isNameserver(text: string): boolean {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d*))?$/.exec(text.trim());
  if (match === null) return false;
  const [, bracketed, plain, port] = match;
  if ((bracketed ?? plain ?? "") === "") return false;
  return port === undefined || port === "" || (Number(port) >= 1 && Number(port) <= 65535);
}

/** A per-solver recursive nameserver: host[:port] for plain DNS or an https:// DNS-over-HTTPS URL. */
export function isRecursiveNameserver(text: string): boolean {
  if (!text.startsWith("https://")) return isNameserver(text);
  try {
    return new URL(text).hostname !== "";
  } catch {
    return false;
  }
}
