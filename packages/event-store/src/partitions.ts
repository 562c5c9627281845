// Work is shared by stream: every event of one stream falls in the same partition, so whichever
// instance holds that partition handles one aggregate's events in order, alone. The key is the
// stream's id without its category, so a Certificate and its issuance record (`certificate-ns_x`,
// `certificateIssuance-ns_x`) go to the same instance; and the streams an issuance of Certificate
// x creates under names derived from x go there too (its requests `x-<revision>`, its next private
// key's Secret `x-next-key`), so one instance works the whole issuance: otherwise the request's
// holder would delete the next key the Certificate's holder wrote. The hash is FNV-1a (32 bit): the same in
// every process, language and restart, unlike a runtime's own string hash, so instances agree on
// the split without talking to each other.
import { ValidationError } from "@certplane/domain";

/** One slice of the streams: those whose hash is `index` modulo `count`. */
export interface Partition {
  readonly index: number;
  readonly count: number;
}

/** More partitions than this buys nothing but checkpoints and leases to keep. */
export const MAX_PARTITIONS = 1024;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of the UTF-8 bytes of `text`, modulo `count`. */
export function hashSlot(text: string, count: number): number {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash % count;
}

/** What decides a stream's partition: its id, less the suffix of an issuance's derived names. */
function partitionKeyOf(stream: string): string {
  const dash = stream.indexOf("-");
  const category = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  if (category === "certificateRequest") return id.replace(REVISION_SUFFIX, "");
  if (category === "secret") return id.replace(NEXT_KEY_SUFFIX, "");
  return id;
}

const REVISION_SUFFIX = /-\d+$/;
const NEXT_KEY_SUFFIX = /-next-key$/;

export function partitionOf(stream: string, count: number): number {
  return hashSlot(partitionKeyOf(stream), count);
}

export function assertPartition(partition: Partition, field = "partition"): void {
  const { index, count } = partition;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw ValidationError.of(
      `${field}.count`,
      "range",
      `must be an integer from 1 to ${MAX_PARTITIONS}, got ${count}`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw ValidationError.of(
      `${field}.index`,
      "range",
      `must be an integer from 0 to ${count - 1}, got ${index}`,
    );
  }
}
