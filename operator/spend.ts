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
 * Across an operator restart or a leader change that memory is lost; the new
 * tally starts from the figure last written to `status.budget` (same day) as
 * a floor, so the figure never goes down, though spend of pods that went
 * away before the restart and spent more afterwards is not seen twice nor
 * recovered: the floor is exact at the moment of the restart.
 *
 * A new UTC day starts a new tally at 0 (and records `BudgetReset` when the
 * last day ended over a cap).
 */
import { utcDay } from '../sidecar/spend/day.js';
import { round, type FleetSpend } from '../sidecar/spend/figure.js';
import { Events, budgetEffect, describeSpend, type EventRecord } from './events.js';
import type { PodDoc } from './merge.js';
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
  /** The figure last written to status (after an operator restart): the fleet figure never goes below it. */
  floor: Amounts;
}

const zero = (): Amounts => ({ route: 0, models: {} });

function add(a: Amounts, b: Amounts): Amounts {
  const models = { ...a.models };
  for (const [m, v] of Object.entries(b.models)) models[m] = (models[m] ?? 0) + v;
  return { route: a.route + b.route, models };
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
  const tally: SpendTally =
    prev?.day === day
      ? { day, pods: new Map(prev.pods), floor: prev.floor }
      : {
          day,
          pods: new Map(),
          floor: written?.day === day ? { route: written.spentTodayUSD, models: Object.fromEntries((written.models ?? []).map((m) => [m.name, m.spentTodayUSD])) } : zero(),
        };
  for (const { pod, doc } of docs) {
    const own = ownOf(doc, route, day);
    if (!own) continue;
    const seen = tally.pods.get(pod);
    if (!seen) tally.pods.set(pod, { since: own.since, carried: zero(), last: own.amounts });
    else if (seen.since !== own.since) tally.pods.set(pod, { since: own.since, carried: add(seen.carried, seen.last), last: own.amounts });
    else tally.pods.set(pod, { ...seen, last: max(seen.last, own.amounts) });
  }
  let sum = zero();
  for (const p of tally.pods.values()) sum = add(sum, add(p.carried, p.last));
  const total = max(sum, tally.floor);
  const models: Record<string, number> = {};
  for (const [m, v] of Object.entries(total.models)) models[m] = round(v);
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
