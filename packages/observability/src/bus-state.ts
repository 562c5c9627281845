// The command bus connection as the process last heard of it, and how often NATS reconnected.
import type { Clock } from "@certplane/domain";
import { Counter, type Registry } from "prom-client";

export type BusStatus = "disconnected" | "reconnected";

export class BusState {
  readonly #clock: Clock;
  readonly #reconnects: Counter;
  #disconnectedSince: Date | undefined;

  constructor(registry: Registry, clock: Clock) {
    this.#clock = clock;
    this.#reconnects = new Counter({
      name: "certplane_nats_reconnects_total",
      help: "Times the command bus reconnected to NATS after losing its connection.",
      registers: [registry],
    });
  }

  /** A bus that never reports (the in-process one) stays connected. */
  readonly report = (status: BusStatus): void => {
    if (status === "disconnected") {
      this.#disconnectedSince ??= this.#clock.now();
      return;
    }
    this.#disconnectedSince = undefined;
    this.#reconnects.inc();
  };

  get disconnectedSince(): Date | undefined {
    return this.#disconnectedSince;
  }
}
