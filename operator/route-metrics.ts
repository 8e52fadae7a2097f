/**
 * What the operator exports per RelayRoute for dashboards and alerts, as
 * plain data from the route and the status a reconcile computed. Pure; the
 * gauges in metrics.ts are set from it (`OperatorMetrics.observeRoute`).
 *
 * Every label set is bounded: `namespace` and `route` are the RelayRoutes
 * themselves; `phase`, condition `type`/`status`, pod `state` and `side` are
 * the small fixed enums below. One-hot series (phase, conditions) are always
 * written in full, so "is it RolledBack" is `== 1` and never "absent".
 */
import { parseDuration } from '../sidecar/config/duration.js';
import type { ShadowSpec } from '../sidecar/shadow/policy.js';
import { ConditionType, type Phase, type RelayRoute, type RelayRouteStatus, type ShadowStats, type SideStats } from './route.js';

export const PHASES: readonly Phase[] = ['Pending', 'Shadowing', 'Progressing', 'Promoted', 'RolledBack', 'Invalid'];
export const CONDITION_TYPES: readonly string[] = Object.values(ConditionType);
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export const POD_STATES = ['selected', 'injected', 'reporting'] as const;
export const SIDES = ['relay', 'official'] as const;

export interface WindowSeries {
  requests: number;
  errorRate: number;
  /** Seconds; +Inf beyond the last bucket; undefined without samples. */
  p99Seconds: number | undefined;
}

export interface RouteSeries {
  desiredWeight: number;
  effectiveWeight: number;
  /** One-hot: exactly the current phase is 1 (all 0 before the first status). */
  phase: Record<Phase, 0 | 1>;
  pods: Record<(typeof POD_STATES)[number], number>;
  /** type → status → 0|1; a condition not set yet is 0 in every status. */
  conditions: Record<string, Record<(typeof CONDITION_STATUSES)[number], 0 | 1>>;
  thresholds: { maxErrorRate: number; maxP99LatencySeconds: number; minRequests: number };
  /** The merged rollback window per side, as the verdict sees it. */
  window: Record<(typeof SIDES)[number], WindowSeries>;
  /** status.shadow against spec.shadow's bar; present only with spec.shadow. */
  shadow?: ShadowSeries;
}

export interface ShadowSeries {
  /** Judged pairs in the fleet's merged shadow window. */
  pairs: number;
  /** Equivalent pairs / pairs (0–1); undefined without pairs. */
  equivalence: number | undefined;
  /** spec.shadow.minEquivalence and spec.shadow.minPairs: the first canary step's bar. */
  minEquivalence: number;
  minPairs: number;
}

function windowOf(s: SideStats | undefined): WindowSeries {
  if (s === undefined) return { requests: 0, errorRate: 0, p99Seconds: undefined };
  const p99Seconds = s.p99BeyondMs !== undefined ? Number.POSITIVE_INFINITY : s.p99LatencyMs !== undefined ? s.p99LatencyMs / 1000 : undefined;
  return { requests: s.requests, errorRate: s.errorRate, p99Seconds };
}

function shadowOf(spec: ShadowSpec, s: ShadowStats | undefined): ShadowSeries {
  return { pairs: s?.pairs ?? 0, equivalence: s?.equivalence, minEquivalence: spec.minEquivalence, minPairs: spec.minPairs };
}

export function routeSeries(route: RelayRoute, status: RelayRouteStatus): RouteSeries {
  const phase = Object.fromEntries(PHASES.map((p) => [p, status.phase === p ? 1 : 0])) as Record<Phase, 0 | 1>;
  const conditions: RouteSeries['conditions'] = {};
  for (const type of CONDITION_TYPES) {
    const c = status.conditions?.find((x) => x.type === type);
    conditions[type] = { True: c?.status === 'True' ? 1 : 0, False: c?.status === 'False' ? 1 : 0, Unknown: c?.status === 'Unknown' ? 1 : 0 };
  }
  const rb = route.spec.rollback;
  return {
    desiredWeight: status.desiredWeight ?? route.spec.canary.weight,
    effectiveWeight: status.effectiveWeight ?? route.spec.canary.weight,
    phase,
    pods: { selected: status.pods?.selected ?? 0, injected: status.pods?.injected ?? 0, reporting: status.pods?.reporting ?? 0 },
    conditions,
    thresholds: { maxErrorRate: rb.maxErrorRate, maxP99LatencySeconds: parseDuration(rb.maxP99Latency) / 1000, minRequests: rb.minRequests },
    window: { relay: windowOf(status.sides?.relay), official: windowOf(status.sides?.official) },
    ...(route.spec.shadow ? { shadow: shadowOf(route.spec.shadow, status.shadow) } : {}),
  };
}
