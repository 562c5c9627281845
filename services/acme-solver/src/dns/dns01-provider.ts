/**
 * A DNS-01 provider publishes and removes the TXT record that proves control of a name
 * (RFC 8555 §8.4). Implementations: RFC 2136 dynamic update with TSIG, a webhook, Cloudflare.
 */
export interface Dns01Record {
  /** Fully qualified owner name with the trailing dot: `_acme-challenge.example.test.` */
  readonly fqdn: string;
  /** The zone to update, when known (`example.test.`); providers find it otherwise. */
  readonly zone?: string;
  /** base64url(SHA-256(key authorization)). */
  readonly value: string;
}

export interface Dns01Provider {
  readonly name: string;
  /** Adds the value; other values at the same name stay (a wildcard and its apex share one name). */
  present(record: Dns01Record): Promise<void>;
  /** Removes exactly this value. Removing a value that is not there is not an error. */
  cleanUp(record: Dns01Record): Promise<void>;
}

/** Asks the zone's authoritative servers whether a TXT value is visible yet. */
export interface PropagationChecker {
  /** True when every authoritative server of the name's zone returns the value. */
  isPropagated(fqdn: string, value: string): Promise<boolean>;
}
