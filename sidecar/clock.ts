/**
 * Time as a seam. Everything time-based (windows, breakers, backoff, rollback)
 * takes a Clock so tests drive it by hand instead of sleeping.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for durations; epoch-based so it can be printed. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. For tests. */
export class ManualClock implements Clock {
  constructor(private t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A source of uniform numbers in [0, 1). Injected wherever chance decides. */
export type Random = () => number;
