/**
 * The `/status` document's `budget` key (docs/status-format.md, "Budget").
 * `own` is what the operator sums over the fleet; `route` and `models` are
 * the figures this sidecar acts on (its own spend plus the fleet's, see
 * guard.ts) against the caps.
 */
import type { SpendGuard } from './guard.js';
import { round } from './figure.js';

export function budgetDocument(guard: SpendGuard) {
  const own = guard.own.snapshot();
  const state = guard.state();
  const policy = guard.policy;
  const fleet = guard.figure?.day === own.day ? guard.figure : undefined;
  const line = (l: { spentUSD: number; limitUSD: number | undefined; exhausted: boolean }) => ({ spentUSD: l.spentUSD, limitUSD: l.limitUSD ?? null, exhausted: l.exhausted });
  return {
    day: own.day,
    resetsAt: new Date(guard.resetsAt()).toISOString(),
    action: policy?.action ?? null,
    own: {
      since: new Date(own.since).toISOString(),
      routeUSD: round(own.routeUSD),
      models: Object.fromEntries([...own.models].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, v]) => [m, round(v)])),
    },
    fleet: fleet ? { routeUSD: fleet.routeUSD, models: fleet.models, at: fleet.at ?? null } : null,
    route: line(state.route),
    models: state.models.map((m) => ({ name: m.name, ...line(m) })),
  };
}
