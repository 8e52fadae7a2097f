/**
 * `kubectl relay status`, pure: a RelayRoute and its Events → text laid out
 * like `kubectl describe` (label, value; tables for sides, breakers,
 * conditions, Events). Every number shows the way the operator's Events word
 * it (events.ts formatting), and a value the operator has not written yet
 * shows as `<none>` — never as a healthy zero.
 */
import { formatCount, formatDuration, formatPercent } from '../events.js';
import { generationOf, type RelayRoute, type SideStats } from '../route.js';
import { describeSelector } from '../selector.js';
import { MANUAL_ROLLBACK_ANNOTATION, type ManualRollback } from './canary.js';
import { age, table } from './table.js';

export interface RouteEvent {
  type: string;
  reason: string;
  message: string;
  /** Last seen, ms since the epoch. */
  time: number;
  count: number;
}

const NONE = '<none>';
/** Labels and values line up, as in kubectl describe; the longest label is `Manual Rollback:`. */
export const LABEL_WIDTH = 18;
const usd = (v: number | undefined) => (v === undefined ? NONE : `$${v.toFixed(2)}`);

function p99(s: SideStats): string {
  if (s.p99BeyondMs !== undefined) return `> ${formatDuration(s.p99BeyondMs)}`;
  return s.p99LatencyMs === undefined ? NONE : formatDuration(s.p99LatencyMs);
}

function manualRollback(route: RelayRoute): ManualRollback | undefined {
  const raw = route.metadata.annotations?.[MANUAL_ROLLBACK_ANNOTATION];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as ManualRollback;
  } catch {
    return undefined;
  }
}

/** `copying 10% of official traffic: 1,204 pairs over 15m, equivalence 97.3% (bar 95.0% over 100 pairs), relay errors 0.2%, relay p99 640ms, spent $0.42`. */
export function describeShadowLine(route: RelayRoute): string {
  const spec = route.spec.shadow;
  const sh = route.status?.shadow;
  const head = `copying ${spec?.weight ?? 0}% of official traffic`;
  if (!spec || !sh) return `${head}: ${NONE}`;
  const eq = sh.equivalence === undefined ? 'equivalence n/a' : `equivalence ${formatPercent(sh.equivalence)}`;
  const p99 = sh.relayP99BeyondMs !== undefined ? `> ${formatDuration(sh.relayP99BeyondMs)}` : sh.relayP99LatencyMs === undefined ? NONE : formatDuration(sh.relayP99LatencyMs);
  return (
    `${head}: ${formatCount(sh.pairs)} pairs over ${route.spec.rollback.window}, ${eq} (bar ${formatPercent(spec.minEquivalence)} over ${formatCount(spec.minPairs)} pairs), ` +
    `relay errors ${formatPercent(sh.relayErrorRate)}, relay p99 ${p99}, spent ${usd(sh.costUSD)}`
  );
}

/** `Budget:  $203.10 of $200.00 today (UTC 2026-12-03), action block: EXCEEDED`, then one line per capped model. */
function describeBudget(route: RelayRoute, field: (label: string, value: string) => void, lines: string[]): void {
  const spec = route.spec.budget!;
  const b = route.status?.budget;
  const of = (spent: number | undefined, limit: number | undefined) => `${usd(spent)}${limit !== undefined ? ` of $${limit.toFixed(2)}` : ''}`;
  const state = b === undefined ? '' : b.exhausted ? ': EXCEEDED' : ': within budget';
  field('Budget', `${of(b?.spentTodayUSD, spec.daily)} today (UTC${b ? ` ${b.day}` : ''}), action ${spec.action}${state}`);
  for (const m of spec.models ?? []) {
    const seen = b?.models?.find((x) => x.name === m.name);
    lines.push(`  ${m.name}: ${of(seen?.spentTodayUSD, m.daily)}${seen?.exhausted ? ' (exceeded)' : ''}`);
  }
}

export function describeRoute(route: RelayRoute, events: readonly RouteEvent[], now: number): string {
  const st = route.status ?? {};
  const spec = route.spec;
  const gen = generationOf(route);
  const lines: string[] = [];
  const field = (label: string, value: string) => lines.push(`${`${label}:`.padEnd(LABEL_WIDTH)}${value}`);

  field('Name', route.metadata.name);
  field('Namespace', route.metadata.namespace);
  field('Generation', st.observedGeneration === undefined ? `${gen} (not observed by the operator yet)` : st.observedGeneration === gen ? `${gen}` : `${gen} (operator has observed ${st.observedGeneration})`);
  field('Phase', st.phase ?? NONE);
  const desired = st.desiredWeight ?? spec.canary.weight;
  field('Weight', `desired ${desired}%, effective ${st.effectiveWeight === undefined ? NONE : `${st.effectiveWeight}%`}`);
  if (spec.canary.steps) {
    const steps = spec.canary.steps.weights.map((w) => (w === st.effectiveWeight ? `[${w}%]` : `${w}%`)).join(' → ');
    field('Steps', `${steps} every ${spec.canary.steps.interval} (capped at ${spec.canary.weight}%)`);
    if (st.canary?.holdReason) field('Held', st.canary.holdReason);
  }
  if (spec.canary.mode === 'fallbackOnly') field('Mode', 'fallbackOnly: official first; the relay serves only requests the official API failed');
  if (spec.canary.restartedAt) field('Restarted At', spec.canary.restartedAt);
  field('Selector', spec.selector ? describeSelector(spec.selector) : '<none> (selects no pod)');
  const pods = st.pods;
  field('Pods', pods ? `${pods.selected} selected, ${pods.injected} injected, ${pods.reporting} reporting` : NONE);

  lines.push(`Sides (over ${spec.rollback.window}):`);
  if (st.sides) {
    const row = (name: string, s: SideStats) => [name, formatCount(s.requests), s.requests > 0 ? formatPercent(s.errorRate) : NONE, p99(s)];
    lines.push(table([['SIDE', 'REQUESTS', 'ERROR RATE', 'P99'], row('relay', st.sides.relay), row('official', st.sides.official)], '  '));
  } else lines.push(`  ${NONE}`);
  lines.push(`  thresholds: relay error rate ≤ ${formatPercent(spec.rollback.maxErrorRate)}, p99 ≤ ${spec.rollback.maxP99Latency}, at least ${formatCount(spec.rollback.minRequests)} requests (action: ${spec.rollback.action})`);

  lines.push('Breakers Open:');
  const breakers = (st.breakers ?? []).filter((b) => b.openPods > 0);
  lines.push(breakers.length > 0 ? table([['MODEL', 'PODS'], ...breakers.map((b) => [b.model, String(b.openPods)])], '  ') : `  ${NONE}`);

  if (spec.shadow) field('Shadow', describeShadowLine(route));
  field('Cost', `${usd(st.costUSD)} (saved ${usd(st.savingsUSD)} against official prices)`);
  if (st.cache) field('Cache', `${formatCount(st.cache.hits)} hits, ${formatCount(st.cache.misses)} misses (${formatPercent(st.cache.hitRate)} hit rate), ${formatCount(st.cache.bypasses)} bypassed, ${formatCount(st.cache.errors)} backend errors; saved ${usd(st.cache.savingsUSD)}`);
  if (spec.budget) describeBudget(route, field, lines);
  if (st.lastRollback) field('Last Rollback', `${st.lastRollback.time} (generation ${st.lastRollback.generation}): ${st.lastRollback.message}`);
  const manual = manualRollback(route);
  if (manual) field('Manual Rollback', `${manual.time}: ${manual.reason} (weight was ${manual.previousWeight}%)`);

  lines.push('Conditions:');
  const conds = st.conditions ?? [];
  lines.push(
    conds.length > 0
      ? table([['TYPE', 'STATUS', 'REASON', 'AGE', 'MESSAGE'], ...conds.map((c) => [c.type, c.status, c.reason, age(now - Date.parse(c.lastTransitionTime)), c.message])], '  ')
      : `  ${NONE}`,
  );

  lines.push('Events:');
  lines.push(
    events.length > 0
      ? table([['TYPE', 'REASON', 'AGE', 'MESSAGE'], ...events.map((e) => [e.type, e.reason, age(now - e.time) + (e.count > 1 ? ` (x${e.count})` : ''), e.message])], '  ')
      : `  ${NONE}`,
  );
  return `${lines.join('\n')}\n`;
}
