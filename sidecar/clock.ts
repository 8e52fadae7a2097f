/**
 * Time as a seam. Everything time-based (windows, breakers, backoff, rollback)
 * takes a Clock so tests drive it by hand instead of sleeping.
 */

/** What a sleep (and the request path) uses of an AbortSignal. A real AbortSignal is one. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface Clock {
  /** Milliseconds, monotonic enough for durations; epoch-based so it can be printed. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortLike): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** A clock that moves only when told to; sleepers wake when `advance` passes their time. For tests. */
export class ManualClock implements Clock {
  #sleepers: Array<{ at: number; wake: () => void }> = [];

  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.t);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.t);
    for (const s of due) s.wake();
  }

  /** How many sleeps are waiting: lets a test advance exactly when the code under test has started waiting. */
  get sleeping(): number {
    return this.#sleepers.length;
  }

  sleep(ms: number, signal?: AbortLike): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const entry = {
        at: this.t + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== entry);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (entry.at <= this.t) entry.wake();
      else this.#sleepers.push(entry);
    });
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
