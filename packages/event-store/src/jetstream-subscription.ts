import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { deliverUntilAccepted, pause } from "./deliver.ts";
import type { DurableCheckpoint, KvCheckpoints } from "./jetstream-checkpoints.ts";
import {
  type CommitMessage,
  decodeCommit,
  type JetStreamPosition,
  parsePosition,
} from "./jetstream-commit.ts";
import { translateNatsError, withNatsRetries } from "./jetstream-errors.ts";
import type { Subscription } from "./port.ts";
import { inCategories, type ResolvedSubscribeOptions } from "./subscription-options.ts";
import { loopSubscription } from "./subscription-set.ts";

export interface JetStreamSubscriptionContext {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly streamName: string;
  readonly prefix: string;
  readonly checkpoints: () => Promise<KvCheckpoints>;
}

/** Sequence of the newest message on `filter`, 0 when there is none. */
async function headSequence(context: JetStreamSubscriptionContext, filter: string): Promise<number> {
  const last = await withNatsRetries(`reading the head of ${context.streamName}`, () =>
    context.jsm.direct.getMessage(context.streamName, { last_by_subj: filter }),
  );
  return last?.seq ?? 0;
}

/**
 * Replays through an ordered consumer (no server state) from the start or just after a checkpoint,
 * then tails. Durable subscriptions keep their checkpoint in KV and resume from it. After a consumer
 * failure it starts a new consumer after the last accepted event, so events are never skipped.
 */
export async function startJetStreamSubscription(
  context: JetStreamSubscriptionContext,
  options: ResolvedSubscribeOptions,
): Promise<Subscription> {
  let checkpoint: DurableCheckpoint | undefined;
  if (options.name !== undefined) checkpoint = await (await context.checkpoints()).load(options.name);
  const start = checkpoint?.position ?? (options.from === "start" ? undefined : options.from.after);
  let after: JetStreamPosition | undefined = start === undefined ? undefined : parsePosition(start);
  // 2.9 consumers take a single filter subject; several categories are filtered here instead.
  const only = options.categories.length === 1 ? options.categories[0] : undefined;
  const filter = `${context.prefix}.${only === undefined ? ">" : `${only}.>`}`;

  const deliverCommit = async (message: CommitMessage, stop: AbortSignal): Promise<boolean> => {
    const events = decodeCommit(context.prefix, message);
    for (const [index, event] of events.entries()) {
      const position = { seq: message.seq, index };
      const seen = after !== undefined && position.seq === after.seq && position.index <= after.index;
      if (seen || !inCategories(event.stream, options.categories)) continue;
      if (!(await deliverUntilAccepted(event, options, stop))) return false;
      after = position;
      await checkpoint?.save(event.position).catch((error: unknown) => options.onError?.(error));
    }
    return true;
  };

  return loopSubscription(
    async (stop) => {
      let caughtUp = false;
      while (!stop.aborted) {
        try {
          const head = await headSequence(context, filter);
          const startSeq = after?.seq ?? 1;
          if (!caughtUp && head < startSeq) {
            caughtUp = true;
            options.onCaughtUp?.();
          }
          const consumer = await withNatsRetries(`creating a consumer on ${context.streamName}`, () =>
            context.js.consumers.get(context.streamName, {
              filter_subjects: filter,
              ...(startSeq <= 1
                ? { deliver_policy: DeliverPolicy.All }
                : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }),
            }),
          );
          const messages = await consumer.consume();
          const onStop = () => messages.stop();
          // Stopped while the consumer was being made (a subscriber that stops as soon as it has
          // caught up on an empty stream does): the abort has fired already and would be missed.
          if (stop.aborted) onStop();
          else stop.addEventListener("abort", onStop, { once: true });
          try {
            for await (const message of messages) {
              if (!(await deliverCommit(message, stop))) break;
              if (!caughtUp && message.seq >= head) {
                caughtUp = true;
                options.onCaughtUp?.();
              }
            }
          } finally {
            stop.removeEventListener("abort", onStop);
            await messages.close().catch(() => undefined);
          }
        } catch (error) {
          if (stop.aborted) return;
          options.onError?.(translateNatsError(error, `subscribing to ${context.streamName}`));
          await pause(options.retryDelayMs, stop);
        }
      }
    },
    async () => {
      // Sequences after the last handled commit up to the filter's newest: other categories'
      // commits in between are counted too, so this is an upper bound (exact for an unfiltered
      // subscription). The consumer's own num_pending would miss what nats.js has already fetched.
      const head = await headSequence(context, filter);
      return Math.max(0, head - (after?.seq ?? 0));
    },
  );
}
