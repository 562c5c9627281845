/** Time is injected everywhere so that tests drive it; nothing in the domain reads the wall clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
