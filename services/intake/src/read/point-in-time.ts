// The system as it was at an instant: a one-off read model folded from every event the store had
// recorded by then. The store's commit time orders like its positions, so "recorded at or before T"
// is a prefix of the store, and every object is folded from exactly the events it had at T.
import { ValidationError } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import { ReadModel } from "./read-model.ts";

export interface PointInTime {
  readonly readModel: ReadModel;
  /** The instant itself: readiness and expiry are judged as of it. */
  readonly now: Date;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `at` (RFC 3339) and refuses an instant in the future; the field is `at`. */
export function parseInstant(at: string, now: Date): Date {
  const instant = new Date(at);
  if (!rfc3339.test(at) || Number.isNaN(instant.getTime())) {
    throw ValidationError.of(
      "at",
      "format",
      `must be an RFC 3339 time like 2026-01-10T09:00:00Z, got "${at}"`,
    );
  }
  if (instant.getTime() > now.getTime()) {
    throw ValidationError.of("at", "future", `${at} is in the future (now is ${now.toISOString()})`);
  }
  return instant;
}

/**
 * Every stored object as of `at`. An instant before the store's first event is refused (there is
 * no past there to show), with the first event's time so the caller can pick a later one.
 */
export async function pointInTime(store: EventStore, at: string, now: Date): Promise<PointInTime> {
  const instant = parseInstant(at, now);
  const readModel = new ReadModel({ indexEvents: false });
  let first: string | undefined;
  // Commit times follow store order, so the first event recorded after T ends the prefix: the
  // fold stops there instead of reading the rest of the store.
  let reachedEnd!: () => void;
  const ended = new Promise<void>((resolve) => {
    reachedEnd = resolve;
  });
  let past = false;
  const subscription = await store.subscribe({
    from: "start",
    onCaughtUp: () => reachedEnd(),
    handler: async (event) => {
      if (past) return;
      first ??= event.recordedAt;
      if (new Date(event.recordedAt).getTime() <= instant.getTime()) readModel.fold(event);
      else {
        past = true;
        reachedEnd();
      }
    },
  });
  await ended;
  await subscription.stop();
  if (first === undefined || new Date(first).getTime() > instant.getTime()) {
    throw ValidationError.of(
      "at",
      "beforeFirstEvent",
      first === undefined
        ? "no events recorded yet, so there is no past to show"
        : `no events before ${first} (the first recorded event); ${at} is earlier`,
    );
  }
  return { readModel, now: instant };
}
