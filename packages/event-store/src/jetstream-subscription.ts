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
import { inCategories, inPartition, type ResolvedSubscribeOptions } from "./subscription-options.ts";
import { loopSubscription } from "./subscription-set.ts";

/** Events of other partitions passed over between two checkpoint writes. */
const PASSED_OVER_PER_SAVE = 200;

/** How long a consumer may deliver nothing while newer commits exist before it is replaced. */
const STALL_CHECK_MS = 5_000;

interface Progress {
  /** Commits delivered by the current subscription so far. */
  readonly delivered: number;
  /** The stream sequence of the last commit the consumer delivered (handled or passed over). */
  readonly seq: number;
  /** A commit is in its handler now (which may take any time: handlers retry). */
  readonly handling: boolean;
}

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
    // The leader's answer (see read in jetstream-event-store.ts): a lagging replica's head would
    // call a subscription caught up before it is.
    context.jsm.streams.getMessage(context.streamName, { last_by_subj: filter }),
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

  let passedOverSinceSave = 0;
  const save = (position: string) =>
    checkpoint?.save(position).catch((error: unknown) => options.onError?.(error));
  const deliverCommit = async (message: CommitMessage, stop: AbortSignal): Promise<boolean> => {
    const events = decodeCommit(context.prefix, message);
    for (const [index, event] of events.entries()) {
      const position = { seq: message.seq, index };
      const seen = after !== undefined && position.seq === after.seq && position.index <= after.index;
      if (seen || !inCategories(event.stream, options.categories)) continue;
      if (!inPartition(options, event.stream)) {
        after = position;
        // Another partition's event needs no handling, and its checkpoint no write of its own: a
        // checkpoint is a replicated KV write, and every partition's subscription sees every
        // event. Saving every so often keeps a restart from reading far back.
        passedOverSinceSave += 1;
        if (passedOverSinceSave >= PASSED_OVER_PER_SAVE) {
          passedOverSinceSave = 0;
          await save(event.position);
        }
        continue;
      }
      if (!(await deliverUntilAccepted(event, options, stop))) return false;
      after = position;
      passedOverSinceSave = 0;
      await save(event.position);
    }
    return true;
  };

  let progress: Progress = { delivered: 0, seq: after?.seq ?? 0, handling: false };

  /**
   * An ordered consumer on a cluster can stop delivering without ending or failing (nats.js and
   * nats-server issues about consumers that go quiet after a reset or a leader change): when
   * nothing arrived for a whole check while the filter has newer commits than the last one handled,
   * the consumer is replaced, starting after that commit, so a quiet consumer costs one check.
   */
  const watchForStall = (
    ctx: JetStreamSubscriptionContext,
    subject: string,
    current: () => Progress,
    restart: () => void,
  ) => {
    let seen = current().delivered;
    const timer = setInterval(() => {
      const now = current();
      if (now.handling || now.delivered !== seen) {
        seen = now.delivered;
        return;
      }
      headSequence(ctx, subject).then(
        (head) => {
          const latest = current();
          if (head > latest.seq && latest.delivered === seen && !latest.handling) restart();
        },
        () => undefined,
      );
    }, STALL_CHECK_MS);
    timer.unref();
    return { stop: () => clearInterval(timer) };
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
          const watchdog = watchForStall(
            context,
            filter,
            () => progress,
            () => {
              options.onError?.(
                new Error(`the consumer on ${context.streamName} stopped delivering; starting a new one`),
              );
              messages.stop();
            },
          );
          try {
            for await (const message of messages) {
              progress = { delivered: progress.delivered + 1, seq: message.seq, handling: true };
              const accepted = await deliverCommit(message, stop);
              progress = { ...progress, handling: false };
              if (!accepted) break;
              if (!caughtUp && message.seq >= head) {
                caughtUp = true;
                options.onCaughtUp?.();
              }
            }
          } finally {
            watchdog.stop();
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
