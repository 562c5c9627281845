// A Secret's values are text (PEM) or bytes (DER keys, keystores), as a Kubernetes Secret's data is
// bytes. Which keys hold bytes is fixed by cert-manager's key names, so a value is opened as the
// right kind without a marker stored beside it.

/** Text values stay strings; the binary ones are bytes. */
export type SecretValue = string | Uint8Array;

/** cert-manager's data keys whose values are binary (reference §6). */
export const binarySecretKeys: ReadonlySet<string> = new Set([
  "key.der",
  "keystore.p12",
  "truststore.p12",
  "keystore.jks",
  "truststore.jks",
]);

export function valueBytes(value: SecretValue): Buffer {
  return typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
}

export function sameValue(a: SecretValue | undefined, b: SecretValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return valueBytes(a).equals(valueBytes(b));
}

export function sameValues(
  a: Readonly<Record<string, SecretValue>>,
  b: Readonly<Record<string, SecretValue>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => sameValue(a[key], b[key]));
}

/**
 * A value for a store that holds only text (Vault KV's JSON): bytes go base64, and the store keeps
 * the list of such keys so a reader knows to decode them.
 */
export function valueAsText(value: SecretValue): { readonly text: string; readonly base64: boolean } {
  return typeof value === "string"
    ? { text: value, base64: false }
    : { text: Buffer.from(value).toString("base64"), base64: true };
}
