import type { JetStreamClient } from "@nats-io/jetstream";
import { type KV, Kvm } from "@nats-io/kv";
import { withNatsRetries } from "./jetstream-errors.ts";

/**
 * Opens a bucket the store keeps beside its events (checkpoints, leases), creating it on first use
 * with as many replicas as the events stream has: on a cluster an R1 bucket would stop every
 * reactor's checkpoint, or every lease, while the one node holding it is down, though the events
 * themselves are still on a quorum.
 */
export async function openKvBucket(
  js: JetStreamClient,
  bucket: string,
  purpose: string,
  replicas: number,
): Promise<KV> {
  return await withNatsRetries(`opening ${purpose} bucket ${bucket}`, () =>
    // Reads from the bucket's leader: a direct get may be answered by a lagging replica, and a
    // stale revision would fail every compare-and-set after it (a checkpoint that never moves).
    new Kvm(js).create(bucket, { history: 1, replicas, allow_direct: false }),
  );
}
