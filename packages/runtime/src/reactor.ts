import type { RecordedEvent } from "@certplane/domain";
import { isCertplaneError } from "@certplane/domain";
import type { EventStore, Partition, Subscription } from "@certplane/event-store";
import { inSpan, SpanKind } from "@certplane/telemetry";
import type { Logger } from "./logger.ts";

export interface ReactorOptions {
  /** Durable subscription name; the store keeps its checkpoint so a restart resumes where it stopped. */
  readonly name: string;
  readonly categories: readonly string[];
  readonly handle: (event: RecordedEvent) => Promise<void>;
  readonly logger: Logger;
  /** Attempts before an event whose handling keeps failing for a non-retryable reason is given up on. */
  readonly maxAttempts?: number;
  /**
   * Records the failure on the aggregate the event concerns, so the user sees why and the owner
   * backs off and retries. Required: an event is never skipped without a recorded fact. When it
   * throws, the event is retried instead.
   */
  readonly onGiveUp: (event: RecordedEvent, error: unknown) => Promise<void>;
  readonly retryDelayMs?: number;
  /** Only this partition of the streams (work-share/shared-reactor.ts runs one reactor per held partition). */
  readonly partition?: Partition;
}

/**
 * A reactor turns events into commands. Delivery is at least once and handlers are idempotent
 * (commands decide from current state), so a redelivered event changes nothing. A handler that
 * fails transiently is retried without end; one that fails for a non-retryable reason is retried a
 * few times, then its failure is recorded through `onGiveUp` and the reactor moves on, so one bad
 * event cannot stop the service and the object it concerns says why it did not progress.
 */
export async function startReactor(store: EventStore, options: ReactorOptions): Promise<Subscription> {
  const maxAttempts = options.maxAttempts ?? 5;
  const attempts = new Map<string, number>();
  const log = options.logger.child({ reactor: options.name });
  return await store.subscribe({
    name: options.name,
    categories: options.categories,
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    retryDelayMs: options.retryDelayMs ?? 250,
    onError: (error) => log.warn("subscription error, retrying", { error }),
    handler: async (event) => {
      try {
        await handleInSpan(options, event);
        attempts.delete(event.id);
      } catch (error) {
        const retryable = isCertplaneError(error) ? error.retryable : false;
        const count = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, count);
        if (!retryable && count >= maxAttempts) {
          log.error("giving up on event after repeated failures; recording the failure", {
            event: event.type,
            stream: event.stream,
            attempts: count,
            error,
          });
          try {
            await options.onGiveUp(event, error);
          } catch (recordError) {
            log.warn("could not record the failure; retrying the event", {
              stream: event.stream,
              recordError,
            });
            throw error;
          }
          attempts.delete(event.id);
          return;
        }
        log.warn("event handling failed, will retry", {
          event: event.type,
          stream: event.stream,
          attempt: count,
          error,
        });
        throw error;
      }
    },
  });
}

/**
 * One span per event a reactor handles, a child of the span that recorded the event (its
 * traceparent), so one apply is one trace through every service that reacts to it.
 */
function handleInSpan(options: ReactorOptions, event: RecordedEvent): Promise<void> {
  const category = event.stream.slice(0, event.stream.indexOf("-"));
  return inSpan(
    `process ${category}`,
    {
      kind: SpanKind.CONSUMER,
      parent: event.metadata.traceparent,
      attributes: {
        "messaging.system": "certplane",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": category,
        "messaging.message.id": event.id,
        "messaging.consumer.group.name": options.name,
        "certplane.event.type": event.type,
        "certplane.stream": event.stream,
      },
    },
    () => options.handle(event),
  );
}
