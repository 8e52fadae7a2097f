/**
 * The fixed latency bucket bounds, in one place: the rollback window's
 * histogram, the `/status` document and the Prometheus histograms all use
 * them, so every sidecar's buckets merge exactly with every other's (and
 * with the operator's view of the fleet).
 */

/** Upper bounds (le) of the time-to-first-byte buckets in milliseconds; +Inf is implicit. */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([
  5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
]);

/** The same bounds in seconds, for Prometheus histograms. */
export const LATENCY_BOUNDS_SECONDS: readonly number[] = Object.freeze(LATENCY_BOUNDS_MS.map((ms) => ms / 1000));

/** The first bucket whose bound is ≥ ms (Prometheus `le`); the +Inf bucket past the last bound. */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = LATENCY_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ms <= (LATENCY_BOUNDS_MS[mid] ?? Infinity)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
