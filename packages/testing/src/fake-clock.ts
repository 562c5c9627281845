import type { Clock } from "@certplane/domain";

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  #nowMs: number;

  constructor(start: Date | string = "2026-01-01T00:00:00Z") {
    this.#nowMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  advance(ms: number): Date {
    this.#nowMs += ms;
    return this.now();
  }

  set(to: Date | string): void {
    this.#nowMs = new Date(to).getTime();
  }
}
