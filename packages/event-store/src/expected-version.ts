import type { ExpectedVersion, StreamVersion } from "@certplane/domain";
import { ConcurrencyError } from "@certplane/domain";

/** The expectation check shared by the adapters that count a contiguous revision per stream. */
export function assertExpectedVersion(
  stream: string,
  current: StreamVersion | undefined,
  expected: ExpectedVersion,
): void {
  if (expected === "any") return;
  if (expected === "no_stream") {
    if (current !== undefined)
      throw new ConcurrencyError(stream, `expected no stream, found version ${current}`);
    return;
  }
  if (current !== expected) {
    throw new ConcurrencyError(
      stream,
      `expected version ${expected}, found ${current === undefined ? "no stream" : `version ${current}`}`,
    );
  }
}
