import type { Checkpoint } from "@certplane/domain";

/**
 * Orders two positions of one store. Positions stay opaque to callers, but every adapter writes
 * them as decimal integers joined by one separator (SQLite and memory `N`, JetStream `seq:index`,
 * EventStoreDB `commit/prepare`), so comparing the numbers in turn is the store's own order. Used
 * to fold one object from the streams of its two owners in the order the events happened.
 */
export function comparePositions(a: Checkpoint, b: Checkpoint): number {
  const left = a.split(/\D/);
  const right = b.split(/\D/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = BigInt(left[i] || "0");
    const y = BigInt(right[i] || "0");
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
