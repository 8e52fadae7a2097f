/**
 * Every Kubernetes Event the operator records, in one catalogue (like
 * fastify's error catalogue): a reason, a type, and a message builder. The
 * messages are written for the platform engineer running `kubectl describe rr`
 * and follow Flagger's style: the verb first, then the numbers that decided it,
 * e.g. `Rolled back: relay error rate 3.2% > 1.0% over 15m (412 relay requests
 * from 6 pods)`.
 *
 * Formatting: percentages with one decimal (more when needed to tell a value
 * from its threshold), durations the way the spec writes them (`15m`, `1h30m`,
 * `640ms`, `1.5s`), counts with thousands separators.
 */
import type { ShadowFacts } from './shadow.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecord {
  type: EventType;
  /** CamelCase, stable: alerting rules and `kubectl get events --field-selector reason=…` key on it. */
  reason: string;
  message: string;
}

/** `1204` → `1,204`. */
export function formatCount(n: number): string {
  const [whole, frac] = String(n).split('.');
  const grouped = (whole ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A fraction as a percentage: `0.032` → `3.2%`; tiny non-zero values keep one significant digit (`0.05%`). */
export function formatPercent(fraction: number, decimals = 1): string {
  const p = fraction * 100;
  if (p !== 0 && Math.abs(p) < 10 ** -decimals) return `${Number(p.toPrecision(1))}%`;
  return `${p.toFixed(decimals)}%`;
}

/**
 * A value and its threshold as percentages with the fewest decimals (1 to 4)
 * that keep them apart when they differ, so a breach never reads `1.0% > 1.0%`.
 */
export function formatPercentPair(value: number, threshold: number): [string, string] {
  let decimals = 1;
  while (decimals < 4 && value !== threshold && formatPercent(value, decimals) === formatPercent(threshold, decimals)) decimals++;
  return [formatPercent(value, decimals), formatPercent(threshold, decimals)];
}

/** Milliseconds the way a spec writes them: `900000` → `15m`, `5400000` → `1h30m`, `1500` → `1.5s`, `640` → `640ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

/** A p99 as measured: `Infinity` (beyond the last bucket) → `60s+` when the last bound is 60 s. */
export function formatLatency(ms: number, lastBoundMs?: number): string {
  if (Number.isFinite(ms)) return formatDuration(ms);
  return lastBoundMs === undefined ? 'beyond the last bucket' : `${formatDuration(lastBoundMs)}+`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A threshold breach as the analysis found it. */
export interface BreachFacts {
  reason: 'error_rate' | 'p99_latency';
  /** Error rate (0–1) or p99 in ms (Infinity: beyond the last bucket). */
  value: number;
  threshold: number;
  windowMs: number;
  relayRequests: number;
  pods: number;
  lastBoundMs?: number;
}

/** `relay error rate 3.2% > 1.0% over 15m (412 relay requests from 6 pods)`. */
export function describeBreach(b: BreachFacts): string {
  let what: string;
  if (b.reason === 'error_rate') {
    const [v, t] = formatPercentPair(b.value, b.threshold);
    what = `relay error rate ${v} > ${t}`;
  } else {
    what = `relay p99 latency ${formatLatency(b.value, b.lastBoundMs)} > ${formatDuration(b.threshold)}`;
  }
  return `${what} over ${formatDuration(b.windowMs)} (${plural(b.relayRequests, 'relay request')} from ${plural(b.pods, 'pod')})`;
}

/** The analysis that let a step go ahead. */
export interface PassFacts {
  errorRate: number;
  maxErrorRate: number;
  /** Bucket estimate; undefined without samples. */
  p99Ms: number | undefined;
  maxP99Ms: number;
  relayRequests: number;
}

/** `relay error rate 0.2% ≤ 1.0%, p99 640ms ≤ 2s over 1,204 requests`. */
export function describePass(p: PassFacts): string {
  const [v, t] = formatPercentPair(p.errorRate, p.maxErrorRate);
  const limit = formatDuration(p.maxP99Ms);
  // The bucket estimate can sit above a threshold the exact count says is met
  // (threshold 2.9s, every sample 2.01s, bucket 3s): then show only the bound.
  const p99 =
    p.p99Ms === undefined ? 'p99 n/a' : p.p99Ms <= p.maxP99Ms ? `p99 ${formatDuration(p.p99Ms)} ≤ ${limit}` : `p99 ≤ ${limit}`;
  return `relay error rate ${v} ≤ ${t}, ${p99} over ${plural(p.relayRequests, 'request')}`;
}

/** The shadow comparison as the gate saw it (operator/shadow.ts). */
export type ShadowEventFacts = ShadowFacts;

/** `equivalence 97.3% ≥ 95.0% over 1,204 pairs in 15m from 3 pods (relay error rate 0.2%, relay p99 640ms)`. */
export function describeShadow(s: ShadowEventFacts, cmp: '≥' | '<', thresholdName = ''): string {
  const [v, t] = formatPercentPair(s.equivalence, s.minEquivalence);
  const p99 = s.relayP99Ms === undefined ? '' : `, relay p99 ${formatLatency(s.relayP99Ms)}`;
  return (
    `equivalence ${v} ${cmp} ${thresholdName}${t} over ${plural(s.pairs, 'pair')} in ${formatDuration(s.windowMs)} from ${plural(s.pods, 'pod')} ` +
    `(relay error rate ${formatPercent(s.relayErrorRate)}${p99})`
  );
}

/** `route spend $203.10 > $200.00`, `deepseek-chat spend $50.00 ≥ $50.00` (a cap is reached at its value). */
export function describeSpend(scope: string, spent: number, limit: number): string {
  return `${scope} spend $${spent.toFixed(2)} ${spent > limit ? '>' : '≥'} $${limit.toFixed(2)}`;
}

/** What reaching a cap does, by scope and spec.budget.action. */
export function budgetEffect(scope: 'route' | 'model', action: 'alert' | 'block'): string {
  if (action === 'alert') return 'reported only, traffic unchanged';
  return scope === 'route'
    ? 'relay models skipped, requests answered 429 (official side included) until 00:00 UTC'
    : 'the model is skipped until 00:00 UTC (the chain moves on; an official model\'s requests are answered 429)';
}

const normal = (reason: string, message: string): EventRecord => ({ type: 'Normal', reason, message });
const warning = (reason: string, message: string): EventRecord => ({ type: 'Warning', reason, message });

/** The catalogue. Each entry builds one Event; the reason is fixed per entry. */
export const Events = {
  rolledBack: (b: BreachFacts) => warning('RolledBack', `Rolled back: ${describeBreach(b)}`),
  thresholdBreached: (b: BreachFacts, weight: number) =>
    warning(
      'ThresholdBreached',
      `Threshold breached: ${describeBreach(b)}; spec.rollback.action is alert, so the effective weight stays ${weight}%`,
    ),
  advanced: (from: number, to: number, pass: PassFacts, cap?: number) =>
    normal(
      'Advanced',
      `Advance: effective weight ${from}% → ${to}% (${describePass(pass)})` +
        (cap !== undefined ? `; spec.canary.weight ${cap}% caps the steps, so this is as far as it goes` : ''),
    ),
  promoted: (weight: number) =>
    normal('Promoted', `Promoted: effective weight ${weight}% is the last step of spec.canary.steps`),
  haltTooFewRequests: (weight: number, requests: number, minRequests: number, windowMs: number) =>
    normal(
      'HaltAdvancement',
      `Halt advancement: ${plural(requests, 'relay request')} over ${formatDuration(windowMs)} at ${weight}%, ` +
        `fewer than spec.rollback.minRequests ${formatCount(minRequests)}; the effective weight stays ${weight}% until there are enough`,
    ),
  resumed: (generation: number, rolledBackAt: number | undefined, from: number, to: number) =>
    normal(
      'Resumed',
      `Resumed: generation ${generation} lifts the rollback` +
        (rolledBackAt !== undefined ? ` of generation ${rolledBackAt}` : '') +
        `; effective weight ${from}% → ${to}%`,
    ),
  shadowPassed: (s: ShadowEventFacts, to: number) =>
    normal('ShadowPassed', `Shadow passed: ${describeShadow(s, '≥')}; effective weight 0% → ${to}%, the first of spec.canary.steps`),
  shadowTooFewPairs: (s: ShadowEventFacts, first: number) =>
    normal(
      'Shadowing',
      `Shadowing: ${plural(s.pairs, 'pair')} over ${formatDuration(s.windowMs)} from ${plural(s.pods, 'pod')}, fewer than spec.shadow.minPairs ${formatCount(s.minPairs)}; ` +
        `the first step (${first}%) waits until there are enough`,
    ),
  shadowBelowEquivalence: (s: ShadowEventFacts, first: number) =>
    warning(
      'ShadowBelowEquivalence',
      `Halt advancement: shadow ${describeShadow(s, '<', 'spec.shadow.minEquivalence ')}; the first step (${first}%) waits`,
    ),
  /** `Budget exceeded: route spend $203.10 > $200.00 today (UTC) — action block: relay models skipped, requests answered 429 …`. */
  budgetExceeded: (scope: string, spent: number, limit: number, action: 'alert' | 'block') =>
    warning('BudgetExceeded', `Budget exceeded: ${describeSpend(scope, spent, limit)} today (UTC) — action ${action}: ${budgetEffect(scope === 'route' ? 'route' : 'model', action)}`),
  budgetReset: (day: string, lastDay: string, spent: number, limit: number | undefined) =>
    normal(
      'BudgetReset',
      `Budget reset: a new UTC day (${day}) starts at $0.00; ${lastDay} ended at $${spent.toFixed(2)}` + (limit !== undefined ? ` of $${limit.toFixed(2)}` : '') + ' with a cap reached',
    ),
  weightChanged: (from: number, to: number, why: string) =>
    normal('WeightChanged', `Weight: effective weight ${from}% → ${to}% (${why})`),

  // Spec problems (validate.ts).
  secretNotFound: (field: string, name: string, effect: string) =>
    warning('SecretNotFound', `Secret "${name}" (${field}) does not exist in this namespace; ${effect}`),
  secretKeyNotFound: (field: string, name: string, key: string, keys: readonly string[], effect: string) =>
    warning(
      'SecretKeyNotFound',
      `Secret "${name}" (${field}) has no key "${key}"` +
        (keys.length > 0 ? ` (it has ${keys.slice(0, 8).map((k) => `"${k}"`).join(', ')}${keys.length > 8 ? ', …' : ''})` : ' (it is empty)') +
        `; ${effect}`,
    ),
  modelsNotInCatalog: (models: readonly string[]) =>
    warning(
      'ModelNotInCatalog',
      `${models.map((m) => `"${m}"`).join(', ')} ${models.length === 1 ? 'is' : 'are'} used in spec.models but missing from spec.catalog: ` +
        `traffic still flows, but its cost and savings are not counted and chain models are never skipped for size (a typo?)`,
    ),
  budgetModelsUnpriced: (models: readonly string[]) =>
    warning(
      'BudgetModelUnpriced',
      `${models.map((m) => `"${m}"`).join(', ')} ${models.length === 1 ? 'has' : 'have'} a cap in spec.budget.models but no price in spec.catalog: ` +
        `${models.length === 1 ? 'its' : 'their'} spend is never counted, so the cap is never reached (a typo?)`,
    ),
  selectorOverlap: (others: readonly string[]) =>
    warning(
      'SelectorOverlap',
      `spec.selector can select the same pods as RelayRoute ${others.map((o) => `"${o}"`).join(', ')}: ` +
        `the webhook injects no sidecar into a pod two routes select; make the selectors disjoint`,
    ),
  nameTooLong: (name: string, max: number) =>
    warning(
      'NameTooLong',
      `RelayRoute name "${name}" is ${name.length} characters; the operator labels its objects with it and label values hold at most ${max}: rename the route`,
    ),
} as const;
