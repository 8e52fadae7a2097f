/**
 * Turns one reply's usage into tokens, cost and savings on the metrics and
 * the sidecar's running totals. Savings are only counted for relay-served
 * replies: what the same tokens would have cost at the official model's
 * catalog price, minus what they cost on the relay.
 */
import type { Runtime } from '../runtime.js';
import type { Candidate } from '../proxy/plan.js';
import type { Usage } from './usage.js';
import { costUSD, savingsUSD } from './cost.js';
import { recordSpend } from '../spend/record.js';

export function account(rt: Runtime, served: Candidate, officialModel: string, usage: Usage): void {
  const { metrics } = rt.deps;
  const model = rt.models.label(served.model);
  const side = served.side;
  metrics.tokens.inc({ side, model, kind: 'input' }, usage.input);
  metrics.tokens.inc({ side, model, kind: 'output' }, usage.output);
  if (usage.cachedInput > 0) metrics.tokens.inc({ side, model, kind: 'cached_input' }, usage.cachedInput);

  const price = rt.route.catalog.get(served.model)?.price;
  const cost = costUSD(price, usage);
  if (cost !== undefined) {
    metrics.cost.inc({ side, model }, cost);
    rt.totals.costUSD += cost;
    recordSpend(rt, model, cost);
  }
  if (side !== 'relay') return;
  const saved = savingsUSD(rt.route.catalog.get(officialModel)?.price, price, usage);
  if (saved === undefined) return;
  if (saved >= 0) metrics.savings.inc({ model }, saved);
  else metrics.overspend.inc({ model }, -saved);
  rt.totals.savingsUSD += saved;
}
