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

/** A seeded PRNG (mulberry32) for reproducible tests and benchmarks. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
