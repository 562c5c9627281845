// certplane's own metrics: what the event-sourced pipeline does that cert-manager has no word for,
// plus cert-manager's controller sync counts, which here are the reactors' handler calls.
import { parsePublicationStream, parseStreamName } from "@certplane/domain/model";
import { Counter, Gauge, type Registry } from "prom-client";
import type { AppendListener, SyncCounter } from "./observed-event-store.ts";
import type { SubscriptionTracker } from "./subscription-tracker.ts";

export function registerEventsAppended(registry: Registry): AppendListener {
  const appended = new Counter({
    name: "certplane_events_appended_total",
    help: "Events this process appended to the event store, by stream category.",
    labelNames: ["category"],
    registers: [registry],
  });
  return (stream, events) => appended.inc({ category: parseStreamName(stream).category }, events.length);
}

/** The secret-publisher's: failures are recorded facts, so they are counted as they are appended. */
export function registerPublicationFailures(registry: Registry): AppendListener {
  const failures = new Counter({
    name: "certplane_publication_failures_total",
    help: "SecretPublicationFailed events recorded, by SecretTarget.",
    labelNames: ["target"],
    registers: [registry],
  });
  return (stream, events) => {
    if (parseStreamName(stream).category !== "publication") return;
    const count = events.filter((event) => event.type === "SecretPublicationFailed").length;
    if (count > 0) failures.inc({ target: parsePublicationStream(stream).target }, count);
  };
}

export function registerSyncCounts(registry: Registry): SyncCounter {
  const calls = new Counter({
    name: "certmanager_controller_sync_call_count",
    help: "The number of sync() calls made by a controller.",
    labelNames: ["controller"],
    registers: [registry],
  });
  const errors = new Counter({
    name: "certmanager_controller_sync_error_count",
    help: "The number of errors encountered during controller sync().",
    labelNames: ["controller"],
    registers: [registry],
  });
  return {
    call: (controller) => calls.inc({ controller }),
    error: (controller) => errors.inc({ controller }),
  };
}

export function registerReactorLag(registry: Registry, tracker: SubscriptionTracker): void {
  new Gauge({
    name: "certplane_reactor_lag_events",
    help: "Events stored for each reactor that it has not yet handled (JetStream counts commits); absent where the store cannot count them (EventStoreDB).",
    labelNames: ["reactor"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const subscription of tracker.list()) {
        if (subscription.name === undefined || subscription.pending === undefined) continue;
        // A store that cannot answer now (closing, disconnected) leaves the series out of this scrape.
        const pending = await subscription.pending().catch(() => undefined);
        if (pending !== undefined) this.set({ reactor: subscription.name }, pending);
      }
    },
  });
  new Gauge({
    name: "certplane_reactor_lag_seconds",
    help: "How long each reactor has been on the oldest event it has not yet handled; 0 when it is idle.",
    labelNames: ["reactor"],
    registers: [registry],
    collect() {
      this.reset();
      for (const subscription of tracker.list()) {
        if (subscription.name !== undefined) {
          this.set({ reactor: subscription.name }, tracker.lagSeconds(subscription));
        }
      }
    },
  });
}
