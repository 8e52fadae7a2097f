/**
 * Phase 0, shadow: before any real traffic moves, the route goes to weight 0
 * with spec.shadow. Every request is served by the official API as before;
 * the sidecar also sends a copy to the relay's first chain model after the
 * app's reply started, and judges the pair. One relay copy answers with a
 * refusal, so the judge has something to tell apart. Then the route goes back
 * to weight 25 without shadow for the canary phases.
 */
import { expect, expectAllOk } from '../check.js';
import { bold, green, ms, pct, say, section, table, usd } from '../report.js';
import { LATENCY, USAGE, USERS } from '../scenario.js';
import type { Stack } from '../stack.js';
import { inParallel } from '../traffic.js';
import { metric } from '../metrics.js';

const ANSWER =
  'The capital of France is Paris. It lies on the Seine in the north of the country, has been the seat of ' +
  'government for most of the last thousand years, and is home to about two million people in the city ' +
  'proper and over twelve million in the metropolitan area.';

interface ShadowDoc {
  pairs: number;
  equivalent: number;
  different: number;
  relayErrors: number;
  skipped: number;
  inFlight: number;
  costUSD: number;
  window: { boundsMs: number[]; counts: number[] };
}

export async function phaseShadow({ app, admin, route, official, relay, summary }: Stack): Promise<void> {
  section('0. shadow', 'weight 0 and spec.shadow: the relay answers copies of real requests that nobody sees');
  official.setDefault({ kind: 'auto', ...LATENCY.official, chunks: 8, usage: USAGE, content: `[official:gpt-4.1] ${ANSWER}` });
  relay.setDefault({ kind: 'auto', ...LATENCY.relay, chunks: 5, usage: USAGE, content: `[relay:deepseek-chat] ${ANSWER}` });
  relay.enqueue({ kind: 'auto', ...LATENCY.relay, usage: USAGE, content: '[relay:deepseek-chat] Sorry, I cannot help with that request.' });
  const gen = (await admin.status()).generation;
  route.write(0, { weight: 100, maxConcurrent: 16 });
  await admin.until(performance.now(), (s) => s.generation > gen && s.weight.desired === 0, 'weight 0 with spec.shadow');

  const users = USERS.slice(0, 30);
  const json = await inParallel(users, 4, (u) => app.ask(u));
  const streamed = await inParallel(USERS.slice(30), 4, (u) => app.askStream(u, false));
  const replies = [...json, ...streamed];
  expectAllOk(replies, 'shadow phase');
  expect(replies.every((r) => r.side === 'official'), 'shadow phase: a request was served by the relay at weight 0');

  const t0 = performance.now();
  let doc: ShadowDoc | undefined;
  await admin.until(t0, (s) => {
    doc = (s as unknown as { shadow: ShadowDoc | null }).shadow ?? undefined;
    return doc !== undefined && doc.inFlight === 0 && doc.pairs + doc.skipped >= replies.length;
  }, 'every shadow pair judged');
  const d = doc!;
  const p99 = p99Of(d.window.boundsMs, d.window.counts);
  const m = await admin.metrics();
  table([
    ['requests', 'served by', 'copies judged', 'equivalent', 'different', 'relay errors', 'skipped', 'relay p99 on copies', 'shadow spend'],
    [replies.length, `official (${json.length} JSON, ${streamed.length} streamed)`, d.pairs, d.equivalent, d.different, d.relayErrors, d.skipped, p99, usd(d.costUSD)],
  ], 'rlrrrrrrr');
  say(`  equivalence ${bold(pct(d.equivalent, d.pairs))}: same finish_reason, same tool calls, text similarity ≥ 0.8 (the refusal is the different one)`);
  say(`  the relay saw ${relay.requests.length} copies, all to deepseek-chat (the first of the chain) with the relay key; the app saw only official answers`);
  say(`  shadow spend ${usd(metric(m, 'bellwether_shadow_cost_usd_total'))} is counted apart: bellwether_cost_usd_total{side="relay"} is ${usd(metric(m, 'bellwether_cost_usd_total', { side: 'relay' }))}`);
  expect(d.pairs + d.skipped === replies.length && relay.requests.length === d.pairs + d.skipped - skippedBeforeSend(m), 'shadow: copies and pairs do not add up');
  expect(d.different >= 1 && d.equivalent >= d.pairs - 1 - d.relayErrors, `shadow: the judge said ${d.equivalent} equivalent, ${d.different} different`);
  expect(relay.requests.every((q) => q.body?.model === 'deepseek-chat'), 'shadow: a copy went to another model than the first of the chain');
  expect(metric(m, 'bellwether_cost_usd_total', { side: 'relay' }) === 0, 'shadow: copies were counted as served relay cost');
  say(`  ${green('✓')} ${replies.length}/${replies.length} app requests answered by the official API, ${d.pairs} pairs judged`);
  summary.push(['0 shadow', `weight 0: ${d.pairs} copies judged, equivalence ${pct(d.equivalent, d.pairs)}, relay p99 ${p99} on copies, ${usd(d.costUSD)} shadow spend apart from served cost`]);

  // The canary phases start from a clean slate: weight 25, no shadow, the fakes' usual answers.
  official.reset();
  relay.reset();
  official.setDefault({ kind: 'auto', ...LATENCY.official, chunks: 8, usage: USAGE });
  relay.setDefault({ kind: 'auto', ...LATENCY.relay, chunks: 8, usage: USAGE });
  const gen2 = (await admin.status()).generation;
  route.write(25);
  await admin.until(performance.now(), (s) => s.generation > gen2 && s.weight.desired === 25, 'weight 25 without shadow');
}

/** Copies skipped before they were sent (over maxConcurrent or at shutdown) never reached the relay. */
function skippedBeforeSend(metrics: string): number {
  return metric(metrics, 'bellwether_shadow_skipped_total', { reason: 'max_concurrent' }) + metric(metrics, 'bellwether_shadow_skipped_total', { reason: 'shutdown' });
}

/** The p99 bucket bound of a cumulative histogram, as /status computes it. */
function p99Of(bounds: number[], counts: number[]): string {
  const n = counts[counts.length - 1] ?? 0;
  if (n === 0) return 'n/a';
  const rank = Math.ceil(0.99 * n);
  const i = counts.findIndex((c) => c >= rank);
  return i < bounds.length ? `≤ ${ms(bounds[i]!)}` : `> ${ms(bounds[bounds.length - 1]!)}`;
}
