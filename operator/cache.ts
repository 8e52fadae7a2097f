/**
 * The fleet's response cache (spec.cache) in RelayRoute.status.cache: the
 * reporting sidecars' `/status` `cache` counters added up. Pure.
 *
 * Counters are per sidecar since it started, like `totals`, so the sum is
 * the fleet's since its pods started; with a Redis backend each pod still
 * counts only its own lookups. `hitRate` is hits over lookups: hits, misses
 * and backend errors (bypasses are requests the cache was told not to read).
 */
import type { SidecarCache } from './sidecar-status.js';

export interface CacheStats {
  hits: number;
  misses: number;
  bypasses: number;
  errors: number;
  /** hits / (hits + misses + errors); 0 before any lookup. */
  hitRate: number;
  savingsUSD: number;
}

/** Adds one pod's counters to the running sum (undefined: nothing yet); pods without a cache add nothing. */
export function addCache(sum: CacheStats | undefined, pod: SidecarCache | null | undefined): CacheStats | undefined {
  if (pod === null || pod === undefined || typeof pod !== 'object') return sum;
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const hits = (sum?.hits ?? 0) + n(pod.hits);
  const misses = (sum?.misses ?? 0) + n(pod.misses);
  const errors = (sum?.errors ?? 0) + n(pod.errors);
  const lookups = hits + misses + errors;
  return {
    hits,
    misses,
    bypasses: (sum?.bypasses ?? 0) + n(pod.bypasses),
    errors,
    hitRate: lookups > 0 ? hits / lookups : 0,
    savingsUSD: Math.round(((sum?.savingsUSD ?? 0) + n(pod.savingsUSD)) * 1e6) / 1e6,
  };
}
