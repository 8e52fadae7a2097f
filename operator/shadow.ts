/**
 * The fleet's shadow comparison (DESIGN.md "Shadow"): the sidecars' shadow
 * windows merged into one (`mergeShadow`), what `status.shadow` shows
 * (`shadowStats`), and the predicate the first canary step waits on
 * (`shadowGate`). Pure.
 *
 * Which documents count: the same rule as the rollback window (merge.ts) —
 * readable documents of this route at the current generation; a window with
 * other bucket bounds is left out. Pairs add up and the TTFB buckets add up,
 * so the fleet's equivalence and relay p99 are exact, never averages of pods.
 *
 * The gate: with `spec.canary.steps` and `spec.shadow`, the first step waits
 * until the merged window holds at least `minPairs` judged pairs and the share
 * of equivalent ones is at least `minEquivalence`. Relay errors on copies count
 * as pairs that are not equivalent: a relay that cannot answer the copy would
 * not have answered the app either.
 */
import { quantileMs } from '../sidecar/resilience/window.js';
import { LATENCY_BOUNDS_MS } from '../sidecar/resilience/buckets.js';
import { emptyShadowWindow, mergeShadowWindows, type ShadowWindowSnapshot } from '../sidecar/shadow/window.js';
import type { ShadowSpec } from '../sidecar/shadow/policy.js';
import { generationOf, type RelayRoute, type ShadowStats } from './route.js';
import { STATUS_API_VERSION, STATUS_KIND } from './sidecar-status.js';
import type { PodDoc } from './merge.js';

export interface FleetShadow {
  window: ShadowWindowSnapshot;
  /** Pods whose shadow window was merged. */
  pods: number;
  /** Shadow spend of the reporting sidecars (each since its own start). */
  costUSD: number;
}

function readable(w: unknown): w is ShadowWindowSnapshot {
  const s = w as ShadowWindowSnapshot | undefined;
  return (
    s !== undefined &&
    s !== null &&
    [s.pairs, s.equivalent, s.different, s.relayErrors, s.windowMs].every((n) => Number.isFinite(n)) &&
    Array.isArray(s.boundsMs) &&
    Array.isArray(s.counts) &&
    s.counts.length === s.boundsMs.length + 1
  );
}

export function mergeShadow(docs: ReadonlyArray<PodDoc>, route: RelayRoute, windowMs: number): FleetShadow {
  const generation = generationOf(route);
  let merged: ShadowWindowSnapshot | undefined;
  let pods = 0;
  let costUSD = 0;
  for (const { doc } of docs) {
    if (!doc || doc.apiVersion !== STATUS_API_VERSION || doc.kind !== STATUS_KIND) continue;
    if (doc.route?.name !== route.metadata.name || doc.route?.namespace !== route.metadata.namespace) continue;
    const shadow = doc.shadow;
    if (!shadow) continue;
    costUSD += Number.isFinite(shadow.costUSD) ? shadow.costUSD : 0;
    if (doc.generation !== generation || !readable(shadow.window)) continue;
    try {
      merged = merged === undefined ? shadow.window : mergeShadowWindows(merged, shadow.window);
      pods++;
    } catch {
      // Other bucket bounds: left out, as the rollback window does.
    }
  }
  return { window: merged ?? emptyShadowWindow(windowMs, LATENCY_BOUNDS_MS), pods, costUSD: Math.round(costUSD * 1e6) / 1e6 };
}

/** No shadow window reported (yet): no pairs. */
export const NO_SHADOW: FleetShadow = { window: emptyShadowWindow(0, LATENCY_BOUNDS_MS), pods: 0, costUSD: 0 };

/** Equivalent pairs / pairs; undefined without pairs. */
export function equivalenceOf(w: ShadowWindowSnapshot): number | undefined {
  return w.pairs > 0 ? w.equivalent / w.pairs : undefined;
}

/** `status.shadow`. */
export function shadowStats(f: FleetShadow): ShadowStats {
  const w = f.window;
  const stats: ShadowStats = { pairs: w.pairs, relayErrorRate: w.pairs > 0 ? w.relayErrors / w.pairs : 0, costUSD: f.costUSD };
  const eq = equivalenceOf(w);
  if (eq !== undefined) stats.equivalence = eq;
  const p99 = quantileMs({ windowMs: w.windowMs, requests: w.pairs, failures: w.relayErrors, boundsMs: w.boundsMs, counts: w.counts }, 0.99);
  if (p99 !== undefined && Number.isFinite(p99)) stats.relayP99LatencyMs = p99;
  else if (p99 !== undefined) stats.relayP99BeyondMs = w.boundsMs[w.boundsMs.length - 1] ?? 0;
  return stats;
}

export interface ShadowFacts {
  pairs: number;
  /** 0 without pairs. */
  equivalence: number;
  minPairs: number;
  minEquivalence: number;
  relayErrorRate: number;
  /** Bucket estimate; undefined without samples, Infinity beyond the last bound. */
  relayP99Ms: number | undefined;
  windowMs: number;
  pods: number;
}

export type GateVerdict =
  | { pass: true; facts: ShadowFacts }
  | { pass: false; reason: 'ShadowTooFewPairs' | 'ShadowBelowEquivalence'; facts: ShadowFacts };

/** Has the shadow comparison earned the first canary step? */
export function shadowGate(spec: ShadowSpec, f: FleetShadow): GateVerdict {
  const w = f.window;
  const facts: ShadowFacts = {
    pairs: w.pairs,
    equivalence: equivalenceOf(w) ?? 0,
    minPairs: spec.minPairs,
    minEquivalence: spec.minEquivalence,
    relayErrorRate: w.pairs > 0 ? w.relayErrors / w.pairs : 0,
    relayP99Ms: quantileMs({ windowMs: w.windowMs, requests: w.pairs, failures: w.relayErrors, boundsMs: w.boundsMs, counts: w.counts }, 0.99),
    windowMs: w.windowMs,
    pods: f.pods,
  };
  if (w.pairs < spec.minPairs) return { pass: false, reason: 'ShadowTooFewPairs', facts };
  if (facts.equivalence < spec.minEquivalence) return { pass: false, reason: 'ShadowBelowEquivalence', facts };
  return { pass: true, facts };
}
