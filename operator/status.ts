/**
 * The next `RelayRoute.status` from one tick's pure results — the spec check,
 * the analysis decision and the merged fleet — and the decisions the rendered
 * ConfigMap carries. Pure; the reconcile shell writes what this returns
 * (status subresource) and skips the write when nothing but time changed.
 *
 * Conditions set here: Ready and SecretFound (validate.ts), RolledBack
 * (analysis.ts), TrafficSeen (below). ConfigDistributed belongs to the shell,
 * which knows whether the ConfigMap write succeeded.
 *
 * TrafficSeen: True when some sidecar counted requests in its window; False
 * when sidecars report and none counted any — status must never claim traffic
 * flows when it does not; Unknown when no sidecar answered, or when the
 * route's daily budget is spent with `action: block` (the sidecars answer
 * every request 429 themselves and their windows count none, so silence says
 * nothing about the app; reason `BudgetBlocked`, and BellwetherNoTraffic,
 * which fires on False, stays quiet).
 *
 * status.cache: the fleet's cache counters; a tick on which no pod reports
 * a cache (none answered, all restarting) keeps the last written value while
 * spec.cache is set, so a merge patch does not remove and re-add it.
 */
import type { Decision } from './analysis.js';
import { stepWeights } from './analysis.js';
import type { OperatorDecisions } from '../sidecar/config/decisions.js';
import { formatDuration } from './events.js';
import type { FleetWindow } from './merge.js';
import { ConditionType, generationOf, setCondition, type ConditionInput, type LastRollback, type Phase, type RelayRoute, type RelayRouteStatus } from './route.js';
import type { RouteCheck } from './validate.js';
import { shadowStats } from './shadow.js';
import type { BudgetVerdict } from './spend.js';
import type { FleetSpend } from '../sidecar/spend/figure.js';

export interface TickResults {
  route: RelayRoute;
  check: RouteCheck;
  decision: Decision;
  fleet: FleetWindow;
  /** Running pods the selector matches, and how many of them carry the sidecar. */
  pods: { selected: number; injected: number };
  now: number;
  /** spec.budget: the fleet's spend today and what it means (spend.ts); absent without spec.budget. */
  budget?: BudgetVerdict;
}

export function trafficSeenCondition(fleet: FleetWindow, generation: number, budgetBlocked = false): ConditionInput {
  const base = { type: ConditionType.TrafficSeen, observedGeneration: generation };
  if (fleet.trafficSeen === undefined) {
    return { ...base, status: 'Unknown', reason: 'NoReports', message: 'No sidecar answered /status, so nothing is known about traffic.' };
  }
  if (!fleet.trafficSeen && budgetBlocked) {
    return {
      ...base,
      status: 'Unknown',
      reason: 'BudgetBlocked',
      message:
        'The route\'s daily budget is spent and spec.budget.action is block: the sidecars answer every request 429 budget_exceeded themselves ' +
        'and count none in their windows, so whether the app sends traffic is not known until 00:00 UTC (see BudgetExceeded).',
    };
  }
  if (!fleet.trafficSeen) {
    return {
      ...base,
      status: 'False',
      reason: 'NoTraffic',
      message:
        `${fleet.reporting} reporting sidecar${fleet.reporting === 1 ? '' : 's'} counted no request over ${formatDuration(fleet.relay.windowMs)}: ` +
        'either the app is idle or it does not send its OpenAI traffic to OPENAI_BASE_URL (an SDK given an explicit base URL ignores it).',
    };
  }
  return { ...base, status: 'True', reason: 'TrafficFlowing', message: 'Sidecars are counting requests.' };
}

export function nextStatus(t: TickResults): RelayRouteStatus {
  const { route, check, decision, fleet, now } = t;
  const generation = generationOf(route);
  let conditions = route.status?.conditions;
  const budgetBlocked = t.budget?.condition.reason === 'RouteBudgetExceeded' && route.spec.budget?.action === 'block';
  for (const c of [...check.conditions, decision.condition, trafficSeenCondition(fleet, generation, budgetBlocked)]) conditions = setCondition(conditions, c, now);
  // BudgetExceeded exists only while spec.budget does.
  if (t.budget) conditions = setCondition(conditions, t.budget.condition, now);
  else conditions = conditions?.filter((c) => c.type !== ConditionType.BudgetExceeded);
  const phase: Phase = check.invalid ? 'Invalid' : decision.phase;
  const status: RelayRouteStatus = {
    observedGeneration: generation,
    phase,
    desiredWeight: route.spec.canary.weight,
    effectiveWeight: decision.effectiveWeight,
    pods: { ...t.pods, reporting: fleet.reporting },
    sides: fleet.sides,
    breakers: fleet.breakers,
    costUSD: fleet.costUSD,
    savingsUSD: fleet.savingsUSD,
    ...(t.budget ? { budget: t.budget.status } : {}),
    conditions: conditions ?? [],
  };
  const cache = fleet.cache ?? (route.spec.cache ? route.status?.cache : undefined);
  if (cache) status.cache = cache;
  const lastRollback = decision.lastRollback ?? route.status?.lastRollback;
  if (lastRollback) status.lastRollback = lastRollback;
  if (route.spec.shadow && fleet.shadow) status.shadow = shadowStats(fleet.shadow);
  if (decision.stepStartedAt !== undefined || decision.holdReason !== undefined) {
    status.canary = {
      ...(decision.stepStartedAt !== undefined ? { stepStartedAt: decision.stepStartedAt } : {}),
      ...(decision.holdReason !== undefined ? { holdReason: decision.holdReason } : {}),
    };
  }
  return status;
}

/** What the rendered ConfigMap tells the sidecars (decisions.ts), from a decision or a written status. */
export function decisionsOf(route: RelayRoute, d: { effectiveWeight?: number; phase?: Phase; lastRollback?: LastRollback; budgetSpent?: FleetSpend }): OperatorDecisions {
  const effectiveWeight = d.effectiveWeight ?? route.spec.canary.weight;
  const phase = d.phase ?? 'Pending';
  const out: OperatorDecisions = { effectiveWeight, phase };
  // A fleet rollback of this generation holds (analysis.ts), whatever phase is displayed.
  if (d.lastRollback && d.lastRollback.generation === generationOf(route) && effectiveWeight === 0) {
    out.fleetRollback = { reason: d.lastRollback.reason, generation: d.lastRollback.generation, time: d.lastRollback.time };
  }
  const steps = stepWeights(route.spec.canary);
  const index = steps?.indexOf(effectiveWeight) ?? -1;
  if (steps && index >= 0) out.step = { index: index + 1, of: steps.length };
  if (route.spec.budget && d.budgetSpent) out.budgetSpent = d.budgetSpent;
  return out;
}
