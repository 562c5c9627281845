// approver-policy's wildcard: `*` stands for any run of characters, dots included, so
// `*.example.com` allows `a.b.example.com` as it does there. Everything else matches itself.

export function wildcardMatches(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts.at(-1)!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last))
    return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/** The values no pattern matches (empty: every value is allowed). */
export function unmatched(patterns: readonly string[], values: readonly string[]): string[] {
  return values.filter((value) => !patterns.some((pattern) => wildcardMatches(pattern, value)));
}
