/**
 * The fleet's spend today (UTC) against `spec.budget`. Pure: the operator's
 * memory of the day comes in and goes out as a `SpendTally`, time as a number.
 *
 * Summing. Each sidecar reports its own spend today in `/status`
 * (`budget.own`), counted in memory since `since` (its start, or 00:00 UTC).
 * A restarted sidecar starts again at 0, and a deleted pod stops reporting,
 * but what they spent today was spent. So the tally keeps, per pod, the
 * highest figure seen for its current count and, when `since` changes (a
 * restart), carries the old count over; a pod that is gone keeps its last
 * figure until the day ends. The fleet figure is the sum — monotonic within
 * the day for as long as this operator runs.
 *
 * Across an operator restart or a leader change that memory is lost. The
 * figure last written to `status.budget` (same day) then becomes an offset:
 * on the first poll of the new tally every pod's count is recorded as its
 * baseline (its spend so far is in the written figure), and the fleet figure
 * is offset + what each pod spent beyond its baseline (new pods count in
 * full; restarts and deleted pods carry over as above). When the counts at
 * that first poll add up to more than the written figure (a pod started and
 * spent in the handover, unseen by the last leader), their sum is the
 * offset instead. A pod silent on
 * that first poll gets its baseline at its first answer (what it spent in
 * between is not seen); a pod that went away before the restart is in the
 * offset and is not counted again.
 *
 * The written figure is also a floor for an existing tally: when status says
 * more than this tally last produced, another replica led meanwhile (a
 * returning leader must not lower the figure and unblock a spent route), so
 * the tally starts over from the written figure.
 *
 * A new UTC day starts a new tally at 0 (and records `BudgetReset` when the
 * last day ended over a cap).
 */
import { utcDay } from '../sidecar/spend/day.js';
import { round, type FleetSpend } from '../sidecar/spend/figure.js';
import { Events, budgetEffect, describeSpend, type EventRecord } from './events.js';
import type { PodDoc } from './merge.js';
import type { Published } from './spend-publish.js';
import { ConditionType, generationOf, type BudgetStatus, type ConditionInput, type RelayRoute } from './route.js';

interface Amounts {
  route: number;
  models: Record<string, number>;
}

interface PodTally {
  /** The pod's current count began at this time (RFC 3339 as reported). */
  since: string;
  /** What earlier counts of this pod (before restarts) spent today. */
  carried: Amounts;
  /** The highest figure seen for the current count. */
  last: Amounts;
}

export interface SpendTally {
  day: string;
  pods: Map<string, PodTally>;
  /** The figure written to status before this tally began (operator restart, leader change); zero for a fresh day. */
  offset: Amounts;
  /** Per pod, its count when this tally began: already in `offset`, so only spend beyond it is added. */
  baseline: Map<string, Amounts>;
  /** Pods listed but silent on this tally's first poll: their first answer becomes their baseline. */
  pending: Set<string>;
  /** The figure this tally last produced (a written status above it means another replica led meanwhile). */
  figure: Amounts;
  /** The figure last rendered into the config (spend-publish.ts); kept by the reconcile shell. */
  published?: Published;
}

const zero = (): Amounts => ({ route: 0, models: {} });

function add(a: Amounts, b: Amounts): Amounts {
  const models = { ...a.models };
  for (const [m, v] of Object.entries(b.models)) models[m] = (models[m] ?? 0) + v;
  return { route: a.route + b.route, models };
}

function sub(a: Amounts, b: Amounts): Amounts {
  const models = { ...a.models };
  for (const [m, v] of Object.entries(b.models)) models[m] = Math.max(0, (models[m] ?? 0) - v);
  return { route: Math.max(0, a.route - b.route), models };
}

/** Whether `a` is above `b` in the route figure or any model's. */
function above(a: Amounts, b: Amounts): boolean {
  return a.route > b.route || Object.entries(a.models).some(([m, v]) => v > (b.models[m] ?? 0));
}

function max(a: Amounts, b: Amounts): Amounts {
  const models = { ...a.models };
  for (const [m, v] of Object.entries(b.models)) models[m] = Math.max(models[m] ?? 0, v);
  return { route: Math.max(a.route, b.route), models };
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** The own-spend part of a document this tally can use, or undefined. */
function ownOf(doc: PodDoc['doc'], route: RelayRoute, day: string): { since: string; amounts: Amounts } | undefined {
  const b = doc?.budget;
  if (!doc || !b || doc.route?.name !== route.metadata.name || doc.route?.namespace !== route.metadata.namespace) return undefined;
  if (b.day !== day || typeof b.own?.since !== 'string' || !finite(b.own.routeUSD)) return undefined;
  const models: Record<string, number> = {};
  for (const [m, v] of Object.entries(b.own.models ?? {})) if (finite(v)) models[m] = v;
  return { since: b.own.since, amounts: { route: b.own.routeUSD, models } };
}

/** Adds one poll's documents to the day's tally and returns the fleet's figure. */
export function tallySpend(
  prev: SpendTally | undefined,
  docs: ReadonlyArray<PodDoc>,
  route: RelayRoute,
  now: number,
): { tally: SpendTally; figure: FleetSpend } {
  const day = utcDay(now);
  const written = route.status?.budget;
  const floor: Amounts =
    written?.day === day ? { route: written.spentTodayUSD, models: Object.fromEntries((written.models ?? []).map((m) => [m.name, m.spentTodayUSD])) } : zero();
  const fresh = prev?.day !== day || above(floor, prev.figure);
  const tally: SpendTally = fresh
    ? { day, pods: new Map(), offset: floor, baseline: new Map(), pending: new Set(), figure: zero() }
    : { ...prev, pods: new Map(prev.pods), baseline: new Map(prev.baseline), pending: new Set(prev.pending) };
  const restarted = fresh && (floor.route > 0 || Object.keys(floor.models).length > 0);
  for (const { pod, doc } of docs) {
    const own = ownOf(doc, route, day);
    if (!own) {
      if (restarted && doc === undefined) tally.pending.add(pod);
      continue;
    }
    if (restarted || tally.pending.delete(pod)) tally.baseline.set(pod, own.amounts);
    const seen = tally.pods.get(pod);
    if (!seen) tally.pods.set(pod, { since: own.since, carried: zero(), last: own.amounts });
    else if (seen.since !== own.since) tally.pods.set(pod, { since: own.since, carried: add(seen.carried, seen.last), last: own.amounts });
    else tally.pods.set(pod, { ...seen, last: max(seen.last, own.amounts) });
  }
  // The written figure holds at most all the pods' counts at the restart: when they add up to more,
  // some pod spent what the last leader never saw (it started in the handover), and that counts too.
  if (restarted) tally.offset = max(tally.offset, [...tally.baseline.values()].reduce(add, zero()));
  let total = tally.offset;
  for (const [pod, p] of tally.pods) total = add(total, sub(add(p.carried, p.last), tally.baseline.get(pod) ?? zero()));
  const models: Record<string, number> = {};
  for (const [m, v] of Object.entries(total.models)) models[m] = round(v);
  tally.figure = { route: round(total.route), models };
  // No timestamp in the figure: it must change only when the fleet's spend does (a new poll saw
  // more), because every change re-baselines the sidecars' own counts (sidecar/spend/guard.ts).
  return { tally, figure: { day, routeUSD: round(total.route), models } };
}

export interface BudgetVerdict {
  status: BudgetStatus;
  condition: ConditionInput;
  events: EventRecord[];
}

/** status.budget, the BudgetExceeded condition and its Events for this tick; undefined without spec.budget. */
export function budgetVerdict(route: RelayRoute, figure: FleetSpend): BudgetVerdict | undefined {
  const spec = route.spec.budget;
  if (!spec) return undefined;
  const prev = route.status?.budget;
  const sameDay = prev?.day === figure.day;
  const routeOver = spec.daily !== undefined && figure.routeUSD >= spec.daily;
  const models = (spec.models ?? []).map((m) => {
    const spent = figure.models[m.name] ?? 0;
    return { name: m.name, spentTodayUSD: spent, dailyUSD: m.daily, exhausted: spent >= m.daily };
  });
  const status: BudgetStatus = {
    day: figure.day,
    spentTodayUSD: figure.routeUSD,
    ...(spec.daily !== undefined ? { dailyUSD: spec.daily } : {}),
    exhausted: routeOver || models.some((m) => m.exhausted),
    ...(models.length > 0 ? { models } : {}),
  };

  const events: EventRecord[] = [];
  if (prev && !sameDay && prev.exhausted) events.push(Events.budgetReset(figure.day, prev.day, prev.spentTodayUSD, prev.dailyUSD));
  const routeWas = sameDay && prev.dailyUSD !== undefined && prev.spentTodayUSD >= prev.dailyUSD;
  if (routeOver && !routeWas) events.push(Events.budgetExceeded('route', figure.routeUSD, spec.daily!, spec.action));
  for (const m of models) {
    const was = sameDay && prev.models?.some((p) => p.name === m.name && p.exhausted);
    if (m.exhausted && !was) events.push(Events.budgetExceeded(m.name, m.spentTodayUSD, m.dailyUSD, spec.action));
  }

  const generation = generationOf(route);
  const over = [
    ...(routeOver ? [describeSpend('route', figure.routeUSD, spec.daily!)] : []),
    ...models.filter((m) => m.exhausted).map((m) => describeSpend(m.name, m.spentTodayUSD, m.dailyUSD)),
  ];
  const condition: ConditionInput = over.length > 0
    ? {
        type: ConditionType.BudgetExceeded,
        status: 'True',
        reason: routeOver ? 'RouteBudgetExceeded' : 'ModelBudgetExceeded',
        message: `${over.join('; ')} today (UTC) — action ${spec.action}: ${budgetEffect(routeOver ? 'route' : 'model', spec.action)}`,
        observedGeneration: generation,
      }
    : {
        type: ConditionType.BudgetExceeded,
        status: 'False',
        reason: 'WithinBudget',
        message: `Spend today (UTC) $${figure.routeUSD.toFixed(2)}` + (spec.daily !== undefined ? ` of spec.budget.daily $${spec.daily.toFixed(2)}` : '') + '; no cap reached.',
        observedGeneration: generation,
      };
  return { status, condition, events };
}
