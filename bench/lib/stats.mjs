// Small statistics helpers shared by the client and the orchestrator.

/** Percentile p (0–100) of an ascending-sorted array, nearest-rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Summary of raw samples (any order): count, mean, p50, p90, p99, p99.9, max. */
export function summarize(samples) {
  const s = Float64Array.from(samples).sort();
  if (s.length === 0) return { count: 0, mean: null, p50: null, p90: null, p99: null, p999: null, max: null };
  let sum = 0;
  for (const v of s) sum += v;
  return {
    count: s.length,
    mean: sum / s.length,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    p999: percentile(s, 99.9),
    max: s[s.length - 1],
  };
}

/** Median of numbers, ignoring null/undefined/NaN; null when nothing is left. */
export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** a / b, or null when either is missing or b is not positive. */
export function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || !(b > 0)) return null;
  return a / b;
}

/** Round to `digits` decimals, keeping null. */
export function round(x, digits = 3) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
