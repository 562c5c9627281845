import type { RandomSource } from "../serial-number.ts";

/** 00 01 02 … wrapping at 256: fixed "randomness" for known-answer tests. */
export function counterRandom(): RandomSource {
  let next = 0;
  return (size) => Uint8Array.from({ length: size }, () => next++ & 0xff);
}
