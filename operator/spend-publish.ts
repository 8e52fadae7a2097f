/**
 * When the fleet's spend figure is rendered into the route's config (the
 * `bellwether.dev/budget-spent` annotation). Pure.
 *
 * Every change of the rendered config is a ConfigMap write and, on every
 * sidecar of the route, a reload; a figure that follows every cent would do
 * that every status interval all day. Far from a cap a sidecar needs no
 * fresh figure — it blocks only at the cap — so the figure is published:
 * - first (nothing published yet: a new tally) and on a new UTC day;
 * - whenever a capped amount (the route under `daily`, a model under
 *   `models`) is within `NEAR` of its cap or over it — there every change
 *   goes out, so the overshoot bound is the same as publishing every tick;
 * - when a capped amount moved by `STEP` of its cap since the last figure
 *   published (so what is held back is always under 1% of each cap);
 * - when it changed and the last one is `MAX_AGE_MS` old (uncapped figures,
 *   shown in the sidecars' /status `budget.fleet`, stay at most that stale).
 */
import type { FleetSpend } from '../sidecar/spend/figure.js';
import type { BudgetSpec } from '../sidecar/spend/policy.js';

/** Share of a cap from which every change is published. */
export const NEAR = 0.9;
/** Smallest move, as a share of the cap, that is published below NEAR. */
export const STEP = 0.01;
export const MAX_AGE_MS = 5 * 60_000;

export interface Published {
  figure: FleetSpend;
  /** When it was published (ms). */
  at: number;
}

function same(a: FleetSpend, b: FleetSpend): boolean {
  const keys = new Set([...Object.keys(a.models), ...Object.keys(b.models)]);
  return a.day === b.day && a.routeUSD === b.routeUSD && [...keys].every((m) => (a.models[m] ?? 0) === (b.models[m] ?? 0));
}

/** The figure to render now: `figure` when it should go out, else the last one published. */
export function figureToPublish(last: Published | undefined, figure: FleetSpend, budget: BudgetSpec | undefined, now: number): Published {
  if (!last || last.figure.day !== figure.day) return { figure, at: now };
  if (same(last.figure, figure)) return last;
  const capped: Array<[now: number, was: number, cap: number]> = [
    ...(budget?.daily !== undefined ? [[figure.routeUSD, last.figure.routeUSD, budget.daily] as [number, number, number]] : []),
    ...(budget?.models ?? []).map((m): [number, number, number] => [figure.models[m.name] ?? 0, last.figure.models[m.name] ?? 0, m.daily]),
  ];
  const due = now - last.at >= MAX_AGE_MS || capped.some(([v, was, cap]) => v >= NEAR * cap || Math.abs(v - was) >= STEP * cap);
  return due ? { figure, at: now } : last;
}
