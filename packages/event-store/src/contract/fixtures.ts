import { randomUUID } from "node:crypto";
import type { NewEvent, RecordedEvent } from "@certplane/domain";
import { pollUntil } from "@certplane/testing";
import type { EventStore, SubscribeOptions } from "../port.ts";

export function newEvent(type: string, data: unknown = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: "contract-suite",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      occurredAt: "2026-01-01T00:00:00.000Z",
    },
  };
}

/** A stream name no other test uses, so tests may share a backend. */
export function uniqueStream(category = "certificate"): string {
  return `${category}-${randomUUID()}`;
}

/**
 * Polls `condition` until it holds; fails with `what` after the deadline. The contract suite runs
 * against real servers too, so it allows them 15 s where in-process tests take pollUntil's 5 s.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  await pollUntil(condition, { what, timeoutMs });
}

/** Every event in the store, by subscribing from the start until caught up. */
export async function readAll(
  store: EventStore,
  options: Omit<SubscribeOptions, "handler" | "onCaughtUp"> = {},
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let caughtUp = false;
  const subscription = await store.subscribe({
    ...options,
    handler: async (event) => {
      events.push(event);
    },
    onCaughtUp: () => {
      caughtUp = true;
    },
  });
  try {
    await waitFor(() => caughtUp, "the subscription to catch up");
  } finally {
    await subscription.stop();
  }
  return events;
}
