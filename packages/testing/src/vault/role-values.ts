// Values Vault's auth roles share: glob lists (strutil.StrListContainsGlob) and token TTLs.
import { readGoDuration } from "@certplane/domain";

/** strutil.StrListContainsGlob: an entry matches exactly, or as a glob where `*` is any run. */
export function globListContains(list: readonly string[], value: string): boolean {
  return list.some((pattern) => {
    if (!pattern.includes("*")) return pattern === value;
    const regex = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${regex.join(".*")}$`).test(value);
  });
}

/** A role's `token_ttl`: seconds, or a Go duration; absent is 0, a token that never expires. */
export function ttlSecondsOf(ttl: number | string | undefined): number {
  if (ttl === undefined) return 0;
  if (typeof ttl === "number") return ttl;
  if (/^\d+$/.test(ttl)) return Number(ttl);
  const reading = readGoDuration(ttl, { allowNegative: false });
  if (!reading.ok) throw new Error(`token_ttl ${ttl} is not a duration`);
  return Math.floor(reading.ms / 1000);
}
