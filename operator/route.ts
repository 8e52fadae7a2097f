/**
 * The RelayRoute as the operator sees it: the spec as the API server stores it
 * (defaults applied, crds/relayroute.yaml) and the status the operator writes
 * (DESIGN.md "Status"), plus `setCondition`, the one way conditions change.
 *
 * State the operator keeps between ticks lives in `status`, so a restarted or
 * newly elected operator continues where the last one stopped:
 * - `observedGeneration`: the generation the decisions below were made for; a
 *   different `metadata.generation` is a new generation (it lifts a rollback).
 * - `phase` and `effectiveWeight`: where the canary stands (with steps, the
 *   effective weight *is* the current step).
 * - `lastRollback` (with its `generation`): a rollback holds while
 *   `phase` is RolledBack and the generation has not changed.
 * - `canary.stepStartedAt`: when the current step began (the interval clock);
 *   `canary.holdReason`: why the last due advance was held, so the Event is
 *   recorded once per reason, not on every tick.
 * - the `RolledBack` condition's reason and observedGeneration: whether an
 *   `action: alert` breach was already reported for this generation.
 */
import type { CacheStats } from './cache.js';
import type { CacheSpec } from '../sidecar/cache/spec.js';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { ShadowSpec } from '../sidecar/shadow/policy.js';

export interface SecretRef {
  name: string;
  key: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** A standard label selector. Omitted on a route: selects no pod. `{}`: every pod. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ModelRuleSpec {
  match: string[];
  chain: string[];
  official?: string;
}

export interface CatalogEntrySpec {
  name: string;
  contextWindow?: number;
  price?: { input: number; output: number; cachedInput?: number };
}

export interface CanarySpec {
  /**
   * Percent to the relay, 0–100. Without `steps` the sidecars apply it as is.
   * With `steps` it is the CAP: the operator steps the effective weight up
   * through `steps.weights` but never above this value (see analysis.ts).
   */
  weight: number;
  stickyBy?: string;
  fallbackToOfficial: boolean;
  restartedAt?: string;
  /** `fallbackOnly`: official first, the relay chain only for what the official API failed (sidecar/proxy/plan.ts). */
  mode?: 'canary' | 'fallbackOnly';
  /** Progressive delivery (DESIGN.md); `interval` is a Go duration. */
  steps?: { weights: number[]; interval: string };
}

export interface RollbackSpec {
  window: string;
  minRequests: number;
  maxErrorRate: number;
  maxP99Latency: string;
  action: 'rollback' | 'alert';
}

/** `spec` after the API server applied the CRD's defaults. */
export interface RelayRouteSpec {
  selector?: LabelSelector;
  official: { baseURL: string; apiKeySecretRef?: SecretRef };
  relay: { baseURL: string; apiKeySecretRef: SecretRef };
  models: ModelRuleSpec[];
  catalog?: CatalogEntrySpec[];
  canary: CanarySpec;
  rollback: RollbackSpec;
  /**
   * `retryOn` (DESIGN.md; the CRD's `on` is being renamed). The operator never
   * reads this section: the renderer copies the stored spec verbatim, so
   * either spelling reaches the sidecar as the API server stored it.
   */
  retry: { attempts: number; backoff: { base: string; max: string }; retryOn?: Array<number | string> };
  timeouts: { connect: string; firstByte: string; idle: string; total: string };
  circuitBreaker: { consecutiveFailures: number; cooldown: string };
  limits: { maxRequestBytes: number | string; maxConcurrent: number };
  /** Shadow comparison (DESIGN.md "Shadow"); optional. */
  shadow?: ShadowSpec;
  /** The response cache (DESIGN.md "Cache"); optional. The operator reads only the Redis password Secret. */
  cache?: CacheSpec;
  /** Daily spend caps (operator/spend.ts). */
  budget?: BudgetSpec;
}

export type { Phase } from '../sidecar/config/decisions.js';
import type { BudgetSpec } from '../sidecar/spend/policy.js';

/** `status.budget`: the fleet's spend today (UTC), with spec.budget only (operator/spend.ts). */
export interface BudgetStatus {
  /** YYYY-MM-DD, UTC. */
  day: string;
  spentTodayUSD: number;
  dailyUSD?: number;
  /** The route's cap or any model's cap is reached today. */
  exhausted: boolean;
  /** The models spec.budget.models caps. */
  models?: Array<{ name: string; spentTodayUSD: number; dailyUSD: number; exhausted: boolean }>;
}
import type { Phase } from '../sidecar/config/decisions.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  /** RFC 3339, seconds precision, as metav1.Time serialises. */
  lastTransitionTime: string;
  /** CamelCase. */
  reason: string;
  message: string;
}

/** A condition as a decision produces it; `setCondition` adds the transition time. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

export const ConditionType = {
  Ready: 'Ready',
  ConfigDistributed: 'ConfigDistributed',
  SecretFound: 'SecretFound',
  RolledBack: 'RolledBack',
  TrafficSeen: 'TrafficSeen',
  BudgetExceeded: 'BudgetExceeded',
} as const;

export interface SideStats {
  requests: number;
  /** failures / requests; 0 without requests. */
  errorRate: number;
  /** Bucket estimate (an upper bound); absent without samples or when beyond the last bucket. */
  p99LatencyMs?: number;
  /** Set instead of p99LatencyMs when the p99 lies beyond the last bucket bound (this many ms). */
  p99BeyondMs?: number;
}

/** `status.shadow`: the fleet's merged shadow window (operator/shadow.ts). */
export interface ShadowStats {
  pairs: number;
  /** Equivalent pairs / pairs; absent without pairs. */
  equivalence?: number;
  /** Relay errors on copies / pairs. */
  relayErrorRate: number;
  /** Bucket estimate of the relay's p99 TTFB on successful copies; absent without samples or beyond the last bucket. */
  relayP99LatencyMs?: number;
  relayP99BeyondMs?: number;
  costUSD: number;
}

export interface LastRollback {
  time: string;
  /** `error_rate` or `p99_latency`. */
  reason: string;
  /** The Event message, e.g. "Rolled back: relay error rate 3.2% > 1.0% over 15m (…)". */
  message: string;
  /** The generation it happened under; it holds until metadata.generation moves past it. */
  generation: number;
}

export interface RelayRouteStatus {
  observedGeneration?: number;
  phase?: Phase;
  /** spec.canary.weight of the observed generation (with steps: the cap). */
  desiredWeight?: number;
  /** What the sidecars are told to apply (the rendered ConfigMap says the same). */
  effectiveWeight?: number;
  pods?: { selected: number; injected: number; reporting: number };
  sides?: { relay: SideStats; official: SideStats };
  /** Relay models whose breaker is open or half-open in at least one pod. */
  breakers?: Array<{ model: string; openPods: number }>;
  costUSD?: number;
  savingsUSD?: number;
  /** spec.cache: the fleet's response cache counters (operator/cache.ts). */
  cache?: CacheStats;
  budget?: BudgetStatus;
  lastRollback?: LastRollback;
  shadow?: ShadowStats;
  /** Progressive delivery state; present only with spec.canary.steps. */
  canary?: { stepStartedAt?: string; holdReason?: string };
  conditions?: Condition[];
}

export interface RelayRoute {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: RelayRouteSpec;
  status?: RelayRouteStatus;
}

/** metadata.generation; 1 when absent (a route that never went through an API server). */
export function generationOf(route: RelayRoute): number {
  return route.metadata.generation ?? 1;
}

/** RFC 3339 with seconds precision, like metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Sets `cond` in a copy of `conditions` (replacing the one of the same type).
 * `lastTransitionTime` moves to `now` only when the status changes; a new
 * reason or message under the same status keeps the old time, as
 * apimachinery's meta.SetStatusCondition does.
 */
export function setCondition(conditions: readonly Condition[] | undefined, cond: ConditionInput, now: number): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const prev = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = prev !== undefined && prev.status === cond.status ? prev.lastTransitionTime : rfc3339(now);
  const next: Condition = { ...cond, lastTransitionTime };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** The condition of `type`, if set. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
