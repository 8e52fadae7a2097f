/**
 * The fleet's spend as the operator last summed it: the rendered route's
 * annotation `bellwether.dev/budget-spent` (the decisions contract,
 * sidecar/config/decisions.ts, lists it with the others).
 *
 * Value: compact JSON, amounts in USD rounded to 1e-6:
 *   {"day":"2026-12-03","route":203.1,"models":{"deepseek-chat":50.2}}
 * - `day`: the UTC day the figures are for. A sidecar ignores a figure of
 *   another day (after midnight the old figure is stale until the operator's
 *   next tick; the sidecar's own counters restart at 0 meanwhile).
 * - `route`: the fleet's total spend today, relay and official side.
 * - `models`: spend today per upstream model (every model with spend, not
 *   only capped ones; labels the route itself lists).
 * - `at` (optional, for people): when it was summed. The operator leaves it
 *   out: a figure must change only when the fleet's spend changes, since each
 *   change re-baselines the sidecars (guard.ts).
 * The figure includes each sidecar's own spend up to the operator's last
 * `/status` read of it; how the sidecar avoids counting that twice is in
 * guard.ts.
 */

export const BUDGET_SPENT_ANNOTATION = 'bellwether.dev/budget-spent';

export interface FleetSpend {
  day: string;
  routeUSD: number;
  models: Record<string, number>;
  at?: string;
}

export function encodeFleetSpend(f: FleetSpend): string {
  const models: Record<string, number> = {};
  for (const name of Object.keys(f.models).sort()) models[name] = round(f.models[name] ?? 0);
  return JSON.stringify({ day: f.day, route: round(f.routeUSD), models, ...(f.at ? { at: f.at } : {}) });
}

/** The figure, or undefined when absent or unreadable (then the sidecar acts on its own spend only). */
export function parseFleetSpend(raw: string | undefined): FleetSpend | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as { day?: unknown; route?: unknown; models?: unknown; at?: unknown };
    if (typeof v.day !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(v.day) || !usd(v.route)) return undefined;
    const models: Record<string, number> = {};
    if (typeof v.models === 'object' && v.models !== null) {
      for (const [name, value] of Object.entries(v.models)) if (usd(value)) models[name] = value;
    }
    return { day: v.day, routeUSD: v.route, models, ...(typeof v.at === 'string' ? { at: v.at } : {}) };
  } catch {
    return undefined;
  }
}

function usd(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
