import { ValidationError } from "@certplane/domain";
import { assertPartition, partitionOf } from "./partitions.ts";
import type { SubscribeFrom, SubscribeOptions } from "./port.ts";
import { assertCategories } from "./stream-name.ts";

// Durable names become KV keys, SQLite keys and EventStoreDB stream ids, so keep them to one safe token.
const DURABLE_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const DEFAULT_RETRY_DELAY_MS = 1_000;

/** SubscribeOptions with defaults applied and every field checked. */
export interface ResolvedSubscribeOptions extends SubscribeOptions {
  readonly from: SubscribeFrom;
  readonly categories: readonly string[];
  readonly retryDelayMs: number;
}

export function resolveSubscribeOptions(options: SubscribeOptions): ResolvedSubscribeOptions {
  if (typeof options.handler !== "function") {
    throw ValidationError.of("handler", "required", "a subscription needs a handler function");
  }
  if (options.name !== undefined && !DURABLE_NAME.test(options.name)) {
    throw ValidationError.of("name", "format", `subscription name must match ${DURABLE_NAME.source}`);
  }
  const from = options.from ?? "start";
  if (from !== "start" && (typeof from !== "object" || typeof from.after !== "string")) {
    throw ValidationError.of("from", "format", 'from must be "start" or { after: <checkpoint> }');
  }
  const categories = options.categories ?? [];
  assertCategories(categories);
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    throw ValidationError.of("retryDelayMs", "nonNegative", "retryDelayMs must be a number >= 0");
  }
  const { partition } = options;
  if (partition === undefined) return { ...options, from, categories, retryDelayMs };
  assertPartition(partition);
  // Filtered here, above every adapter, so each store shares work the same way; a store that
  // could filter on the server (a JetStream subject mapping) would only save reading.
  const handler: SubscribeOptions["handler"] = async (event) => {
    if (inPartition(options, event.stream)) await options.handler(event);
  };
  return { ...options, from, categories, retryDelayMs, handler };
}

/** True when the event's stream is in the subscription's partition (or it asked for none). */
export function inPartition(options: Pick<SubscribeOptions, "partition">, stream: string): boolean {
  const { partition } = options;
  return partition === undefined || partitionOf(stream, partition.count) === partition.index;
}

/** True when the event's stream belongs to one of the categories (or no categories were asked for). */
export function inCategories(stream: string, categories: readonly string[]): boolean {
  return categories.length === 0 || categories.some((category) => stream.startsWith(`${category}-`));
}
