/**
 * Counting one served request's cost against the budget (called by
 * accounting/account.ts, where cost is known), and saying once per day in
 * the log when a cap is reached.
 */
import type { Runtime } from '../runtime.js';

export function recordSpend(rt: Runtime, model: string, usd: number): void {
  rt.spend.record(model, usd);
  for (const scope of rt.spend.newlyExhausted()) {
    const s = rt.spend.state();
    const line = scope === 'route' ? s.route : s.models.find((m) => m.name === scope);
    if (!line || line.limitUSD === undefined) continue;
    const what = scope === 'route' ? 'the route' : `model ${scope}`;
    const effect = rt.route.budget?.action === 'block'
      ? (scope === 'route' ? 'requests are answered 429 budget_exceeded until 00:00 UTC' : 'the model is not called until 00:00 UTC')
      : 'action alert: traffic unchanged';
    rt.deps.log.warn({ budget: { scope, day: s.day, spentUSD: line.spentUSD, limitUSD: line.limitUSD } }, `daily budget reached for ${what}: $${line.spentUSD.toFixed(2)} >= $${line.limitUSD.toFixed(2)} today (UTC); ${effect}`);
  }
}
