import type { Dns01Record } from "./dns01-provider.ts";
import { absoluteName } from "./rfc2136/wire.ts";

/**
 * The names a provider's API may know as the record's zone, longest first and without the trailing dot:
 * the record's own zone when given, otherwise every suffix of the owner name above the top-level label.
 * Asking the API for each keeps the longest match (a delegated sub-zone wins over its parent).
 */
export function zoneCandidates(record: Dns01Record): string[] {
  if (record.zone) return [bare(record.zone)];
  const labels = bare(record.fqdn).split(".");
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
}

/** The name without its trailing dot, as HTTP APIs of DNS providers write names. */
export function bare(name: string): string {
  return absoluteName(name).slice(0, -1);
}
