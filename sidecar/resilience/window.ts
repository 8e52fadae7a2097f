/**
 * The sliding window behind rollback: request and failure counts plus a
 * time-to-first-byte histogram over the last `windowMs`.
 *
 * A ring of `slices` time slices, each `windowMs / slices` wide. A record
 * lands in the slice for "now" (a slot whose slice has aged out is zeroed
 * first), so `record` is O(1). A snapshot sums the slices that are still
 * inside the window and skips the expired ones. The window therefore moves in
 * slice-sized steps: a sample stays counted until its slice falls out, i.e.
 * for between `windowMs - windowMs/slices` and `windowMs`.
 *
 * The histogram has fixed bounds shared by every sidecar and the operator, so
 * snapshots from many pods merge by adding bucket counts (`mergeSnapshots`)
 * and the fleet's p99 is computed exactly from the merged buckets, not
 * averaged from per-pod p99s.
 */
import type { Clock } from '../clock.js';
import { LATENCY_BOUNDS_MS, bucketOf } from './buckets.js';


export interface WindowSnapshot {
  windowMs: number;
  requests: number;
  failures: number;
  /**
   * Latency samples strictly above `slowAboveMs` (the route's
   * `maxP99LatencyMs`), counted exactly as they arrive, so the p99 verdict
   * does not depend on where the bucket bounds fall. Absent when the window
   * has no threshold.
   */
  slowAboveMs?: number;
  slow?: number;
  boundsMs: readonly number[];
  /**
   * CUMULATIVE like Prometheus: `counts[i]` = samples ≤ `boundsMs[i]`.
   * Length `boundsMs.length + 1`; the last entry is +Inf, the number of
   * latency samples.
   */
  counts: number[];
}

interface Slice {
  /** Which slice of time this slot holds: floor(now / width). */
  index: number;
  requests: number;
  failures: number;
  slow: number;
  /** Per-bucket (not cumulative) sample counts, length bounds + 1. */
  buckets: number[];
}

export class SlidingWindow {
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #width: number;
  readonly #ring: Slice[];
  /** The newest slice index seen; time never runs backwards for the window. */
  #head = -Infinity;
  /** Running sums over the live slices, so a snapshot costs O(buckets), not O(slices × buckets). */
  #requests = 0;
  #failures = 0;
  #slow = 0;
  readonly #slowAboveMs: number | undefined;
  readonly #buckets = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);

  /** `slowAboveMs`: count samples above this latency exactly (the p99 threshold). */
  constructor(windowMs: number, clock: Clock, slices = 60, slowAboveMs?: number) {
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    if (!Number.isInteger(slices) || slices < 1) throw new RangeError(`slices must be a positive integer, got ${slices}`);
    this.#windowMs = windowMs;
    this.#clock = clock;
    this.#width = windowMs / slices;
    this.#slowAboveMs = slowAboveMs;
    this.#ring = Array.from({ length: slices }, () => emptySlice(-Infinity));
  }

  /** Count one relay-routed request. Latency is sampled only when `ttfbMs` is given. */
  record(outcome: { failed: boolean; ttfbMs?: number }): void {
    const slice = this.#current();
    slice.requests += 1;
    this.#requests += 1;
    if (outcome.failed) {
      slice.failures += 1;
      this.#failures += 1;
    }
    const ttfb = outcome.ttfbMs;
    if (ttfb !== undefined && !Number.isNaN(ttfb)) {
      const bucket = bucketOf(ttfb);
      slice.buckets[bucket] = (slice.buckets[bucket] ?? 0) + 1;
      this.#buckets[bucket] = (this.#buckets[bucket] ?? 0) + 1;
      if (this.#slowAboveMs !== undefined && ttfb > this.#slowAboveMs) {
        slice.slow += 1;
        this.#slow += 1;
      }
    }
  }

  snapshot(): WindowSnapshot {
    this.#advance();
    const snap: WindowSnapshot = {
      windowMs: this.#windowMs,
      requests: this.#requests,
      failures: this.#failures,
      boundsMs: LATENCY_BOUNDS_MS,
      counts: cumulate(this.#buckets),
    };
    if (this.#slowAboveMs !== undefined) {
      snap.slowAboveMs = this.#slowAboveMs;
      snap.slow = this.#slow;
    }
    return snap;
  }

  /** Forget everything, e.g. when a new generation clears a rollback. */
  reset(): void {
    for (let i = 0; i < this.#ring.length; i++) this.#ring[i] = emptySlice(-Infinity);
    this.#requests = 0;
    this.#failures = 0;
    this.#slow = 0;
    this.#buckets.fill(0);
  }

  /** Move the head to now and take expired slices out of the running sums. */
  #advance(): number {
    const now = Math.floor(this.#clock.now() / this.#width);
    if (now > this.#head) {
      this.#head = now;
      const oldest = now - this.#ring.length + 1;
      for (let i = 0; i < this.#ring.length; i++) {
        const slice = this.#ring[i]!;
        if (slice.index === -Infinity || slice.index >= oldest) continue;
        this.#requests -= slice.requests;
        this.#failures -= slice.failures;
        this.#slow -= slice.slow;
        for (let b = 0; b < slice.buckets.length; b++) this.#buckets[b]! -= slice.buckets[b]!;
        this.#ring[i] = emptySlice(-Infinity);
      }
    }
    return this.#head;
  }

  #current(): Slice {
    const index = this.#advance();
    const slot = ((index % this.#ring.length) + this.#ring.length) % this.#ring.length;
    let slice = this.#ring[slot];
    if (slice === undefined || slice.index !== index) {
      slice = emptySlice(index);
      this.#ring[slot] = slice;
    }
    return slice;
  }
}

function emptySlice(index: number): Slice {
  return { index, requests: 0, failures: 0, slow: 0, buckets: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0) };
}

function cumulate(perBucket: number[]): number[] {
  let sum = 0;
  return perBucket.map((n) => (sum += n));
}

/**
 * The q-quantile of the latency samples, in ms; undefined with no samples.
 *
 * Returns the upper bound of the bucket holding the sample of rank
 * `ceil(q * n)`, or Infinity when that sample is beyond the last bound. This
 * is conservative: the true quantile is never above the answer, so a
 * threshold set on a bucket bound is never missed, only met early by at most
 * one bucket's width. And it is exact across pods: buckets merge by
 * addition, so the quantile of merged snapshots equals the quantile of all
 * samples together, which averaging per-pod quantiles is not.
 */
export function quantileMs(s: WindowSnapshot, q: number): number | undefined {
  const n = s.counts[s.counts.length - 1] ?? 0;
  if (n <= 0) return undefined;
  const rank = rankOf(q, n);
  const i = s.counts.findIndex((c) => c >= rank);
  return i < 0 || i >= s.boundsMs.length ? Infinity : (s.boundsMs[i] ?? Infinity);
}

/** The nearest rank of the q-quantile among n samples: ceil(q·n), at least 1. */
export function rankOf(q: number, n: number): number {
  const exact = Math.min(1, Math.max(0, q)) * n;
  // Absorb float noise (0.07 * 100 = 7.000000000000001) before the ceiling.
  return Math.max(1, Math.ceil(exact - exact * 1e-12));
}

/**
 * Is the q-quantile strictly above `thresholdMs`? Exact when the snapshot
 * counted slow samples against that very threshold: the quantile is above it
 * exactly when fewer than rank(q) samples are at or below it. Otherwise
 * (a pod still on an older threshold) the conservative bucket estimate
 * decides. Undefined with no samples.
 */
export function quantileAbove(s: WindowSnapshot, q: number, thresholdMs: number): boolean | undefined {
  const n = s.counts[s.counts.length - 1] ?? 0;
  if (n <= 0) return undefined;
  if (s.slowAboveMs === thresholdMs && s.slow !== undefined) return n - s.slow < rankOf(q, n);
  return (quantileMs(s, q) ?? 0) > thresholdMs;
}

/**
 * Add two snapshots (pods, or windows of one pod). Throws when their bucket
 * bounds differ: such histograms cannot be merged exactly. Different window
 * lengths (a rollout in progress) keep the longer one.
 */
export function mergeSnapshots(a: WindowSnapshot, b: WindowSnapshot): WindowSnapshot {
  const same =
    a.boundsMs.length === b.boundsMs.length &&
    a.boundsMs.every((bound, i) => bound === b.boundsMs[i]) &&
    a.counts.length === a.boundsMs.length + 1 &&
    b.counts.length === b.boundsMs.length + 1;
  if (!same) throw new Error('cannot merge window snapshots with different latency bucket bounds');
  const merged: WindowSnapshot = {
    windowMs: Math.max(a.windowMs, b.windowMs),
    requests: a.requests + b.requests,
    failures: a.failures + b.failures,
    boundsMs: a.boundsMs,
    counts: a.counts.map((c, i) => c + (b.counts[i] ?? 0)),
  };
  // Slow counts add up only when both were counted against the same threshold.
  if (a.slowAboveMs !== undefined && a.slowAboveMs === b.slowAboveMs) {
    merged.slowAboveMs = a.slowAboveMs;
    merged.slow = (a.slow ?? 0) + (b.slow ?? 0);
  }
  return merged;
}
