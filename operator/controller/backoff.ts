/**
 * Exponential backoff, capped: `base`, `2·base`, `4·base` … up to `max`.
 * Pure; the work queue (requeue after a failed reconcile) and the informers
 * (restart after a failed list or watch) both use it.
 */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** The delay before attempt `failures + 1`, after `failures` (≥ 1) failures in a row. */
export function backoffDelay(failures: number, b: Backoff): number {
  if (failures <= 0) return 0;
  // 2^exponent overflows to Infinity long after it passed any sane cap; min() keeps it finite.
  return Math.min(b.maxMs, b.baseMs * 2 ** Math.min(failures - 1, 52));
}
