// The checks behind /readyz, each named so the body says which one fails and why.
import type { EventStore } from "@certplane/event-store";
import type { BusState } from "./bus-state.ts";
import type { SubscriptionTracker, TrackedSubscription } from "./subscription-tracker.ts";

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface HealthCheck {
  readonly name: string;
  run(): Promise<CheckResult>;
}

const OK: CheckResult = { ok: true };

// A stream no one writes: reading it proves the store answers without touching real data.
const PROBE_STREAM = "certplaneHealth-probe";

export function storeCheck(store: EventStore): HealthCheck {
  return {
    name: "store",
    async run() {
      try {
        await store.read(PROBE_STREAM);
        return OK;
      } catch (error) {
        return { ok: false, reason: `the event store did not answer a read: ${(error as Error).message}` };
      }
    },
  };
}

export function busCheck(bus: BusState): HealthCheck {
  return {
    name: "bus",
    async run() {
      const since = bus.disconnectedSince;
      if (since === undefined) return OK;
      return { ok: false, reason: `disconnected from NATS since ${since.toISOString()}, reconnecting` };
    },
  };
}

export function startedCheck(isStarted: () => boolean): HealthCheck {
  return {
    name: "started",
    async run() {
      return isStarted() ? OK : { ok: false, reason: "the service is still starting" };
    },
  };
}

function describe(subscription: TrackedSubscription): string {
  return subscription.name ?? `the read model of ${subscription.categories.join(", ") || "every category"}`;
}

/**
 * Caught up: every subscription has delivered what was stored when it started, and none has been
 * on one event for longer than `maxLagMs` (a reactor stuck retrying is not keeping up).
 */
export function subscriptionsCheck(tracker: SubscriptionTracker, maxLagMs: number): HealthCheck {
  return {
    name: "subscriptions",
    async run() {
      const problems: string[] = [];
      for (const subscription of tracker.list()) {
        const lagSeconds = tracker.lagSeconds(subscription);
        if (!subscription.caughtUp) {
          problems.push(`${describe(subscription)} has not caught up with the events stored at its start`);
        } else if (lagSeconds * 1000 > maxLagMs) {
          problems.push(
            `${describe(subscription)} has been on one event for ${lagSeconds.toFixed(1)} s (bound ${maxLagMs / 1000} s)`,
          );
        }
      }
      return problems.length === 0 ? OK : { ok: false, reason: problems.join("; ") };
    },
  };
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** Kubernetes' verbose /readyz format: `[+]name ok` or `[-]name failed: reason`, one a line. */
  readonly body: string;
}

/** Runs every check at once; one that does not answer within `timeoutMs` fails with that reason. */
export async function checkReadiness(
  checks: readonly HealthCheck[],
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => withTimeout(check, timeoutMs)));
  const lines = checks.map((check, index) => {
    const result = results[index] as CheckResult;
    return result.ok ? `[+]${check.name} ok` : `[-]${check.name} failed: ${result.reason}`;
  });
  const ready = results.every((result) => result.ok);
  return { ready, body: `${[...lines, ready ? "readyz check passed" : "readyz check failed"].join("\n")}\n` };
}

async function withTimeout(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check.run(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
