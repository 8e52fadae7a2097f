/**
 * Phase 4, tokens, cost and savings: the sidecar's counters per side and
 * model, its /status totals, and its savings checked against the catalog
 * prices in examples/demo-route.yaml.
 */
import { expect } from '../check.js';
import { metric, samples } from '../metrics.js';
import { catalogPrice, usageCost } from '../price.js';
import { bold, int, pct, say, section, table, usd } from '../report.js';
import { OFFICIAL_MODEL, USAGE } from '../scenario.js';
import type { Stack } from '../stack.js';

export async function phaseCost({ admin, summary }: Stack): Promise<void> {
  section('4. tokens, cost, savings', '/metrics bellwether_tokens_total, bellwether_cost_usd_total, bellwether_savings_usd_total; /status totals');
  const [m, s] = await Promise.all([admin.metrics(), admin.status()]);
  const served = samples(m, 'bellwether_upstream_attempts_total').filter((x) => x.labels['result'] === 'ok' && x.value > 0);
  const rows: Array<Array<string | number>> = [['side', 'model', 'served', 'input tok', 'cached', 'output tok', 'cost', `on ${OFFICIAL_MODEL}`]];
  let cost = 0;
  let onOfficial = 0;
  for (const { labels } of served.sort((a, b) => (a.labels['side']! > b.labels['side']! ? -1 : 1))) {
    const l = { side: labels['side']!, model: labels['model']! };
    const c = metric(m, 'bellwether_cost_usd_total', l);
    const saved = l.side === 'relay' ? metric(m, 'bellwether_savings_usd_total', { model: l.model }) : 0;
    cost += c;
    onOfficial += c + saved;
    rows.push([l.side, l.model, int(metric(m, 'bellwether_upstream_attempts_total', { ...l, result: 'ok' })),
      int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'input' })), int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'cached_input' })),
      int(metric(m, 'bellwether_tokens_total', { ...l, kind: 'output' })), usd(c), usd(c + saved)]);
  }
  rows.push(['total', '', '', '', '', '', usd(cost), usd(onOfficial)]);
  table(rows, 'llrrrrrr');
  const savings = metric(m, 'bellwether_savings_usd_total');
  const relayCost = metric(m, 'bellwether_cost_usd_total', { side: 'relay' });
  say(`  saved ${bold(usd(savings))} on relay-served requests (/status totals.savingsUSD ${usd(s.totals.savingsUSD)}): they cost ${pct(relayCost, relayCost + savings)} of ${OFFICIAL_MODEL}`);
  say(`  had every request gone to ${OFFICIAL_MODEL}: ${usd(onOfficial)}; with the canary: ${usd(cost)} (${pct(onOfficial - cost, onOfficial)} less)`);
  const servedCount = metric(m, 'bellwether_upstream_attempts_total', { result: 'ok' });
  expect(metric(m, 'bellwether_tokens_total', { kind: 'input' }) === servedCount * USAGE.prompt, 'tokens: bellwether_tokens_total{kind="input"} does not match the requests served');
  expect(Math.abs(s.totals.costUSD - cost) < 1e-4 && Math.abs(s.totals.savingsUSD - savings) < 1e-4, `/status totals (${s.totals.costUSD}, ${s.totals.savingsUSD}) disagree with /metrics (${cost}, ${savings})`);
  const perAnswer = usageCost(catalogPrice(OFFICIAL_MODEL)) - usageCost(catalogPrice('deepseek-chat'));
  const relayServed = metric(m, 'bellwether_upstream_attempts_total', { side: 'relay', model: 'deepseek-chat', result: 'ok' });
  expect(Math.abs(savings - relayServed * perAnswer) < 1e-6, `savings ${savings} ≠ ${relayServed} answers × ${perAnswer} from the catalog prices`);
  summary.push(['4 cost', `${usd(cost)} spent, ${usd(savings)} saved vs ${OFFICIAL_MODEL} (${usd(onOfficial)} had it all gone official)`]);
}
