/**
 * Phase 5, the relay failure: the relay degrades model by model while the app
 * keeps asking. 5a: the first chain model fails and the next takes over.
 * 5b: the whole chain fails, the official API serves, the relay's error rate
 * climbs until the sidecar rolls back. 5c: after the rollback the relay gets
 * nothing. No app request may fail throughout.
 */
import type { Status } from '../admin.js';
import { expect, expectAllOk } from '../check.js';
import { circuitStates, growth } from '../metrics.js';
import { bold, countBy, dim, green, int, ms, pct, red, relayAttempts, say, section, table } from '../report.js';
import { USERS } from '../scenario.js';
import type { Stack } from '../stack.js';
import { bySide, inParallel, type Reply } from '../traffic.js';

/** `relayUsers` are ones the split sends to the relay (at weight 50). */
export async function phaseFailure({ app, admin, relay, official, summary }: Stack, relayUsers: string[]): Promise<void> {
  section('5. relay failure', 'the relay degrades model by model; the app must not notice');
  const before = await admin.metrics();
  const sent0 = app.sent;
  const failed0 = app.failed;

  // 5a: the first chain model fails; the next one takes over.
  relay.onModel('deepseek-chat', { kind: 'status', status: 503, latencyMs: 10 });
  const a = await inParallel(USERS, 8, (u) => app.ask(u));
  const aStream = await app.askStream(relayUsers[0]!, false);
  expectAllOk([...a, aStream], 'deepseek-chat down');
  const aRelay = bySide(a).relay;
  say(`  ${bold('5a')} deepseek-chat answers 503 → ${a.length + 1} requests (1 streamed): ${green(`${a.length + 1}/${a.length + 1} succeeded`)}; relay-side answers came from ${countBy([...aRelay, aStream].map((r) => r.model))}`);
  expect([...aRelay, aStream].every((r) => r.side === 'relay' && r.model === 'kimi-k2'), 'deepseek-chat down: relay-side requests were not served by kimi-k2');

  // 5b: the rest of the chain fails too; the official API serves, the relay's error rate climbs.
  relay.onModel('kimi-k2', { kind: 'status', status: 429, retryAfterMs: 100 });
  relay.onModel('gemini-2.5-flash', { kind: 'reset' });
  say(`  ${bold('5b')} kimi-k2 answers 429 (retry-after-ms: 100), gemini-2.5-flash resets the connection; relay users keep asking:`);
  const rows: Array<Array<string | number>> = [['#', 'user', 'relay tried (seen by the fake relay)', 'served by', 'latency', 'relay error rate']];
  const b: Reply[] = [];
  let rolled: Status | undefined;
  for (let i = 0; i < 60 && !rolled; i++) {
    const from = relay.requests.length;
    const r = await app.ask(relayUsers[i % relayUsers.length]!);
    b.push(r);
    const s = await admin.status();
    const w = s.window.sides.relay;
    rows.push([i + 1, r.user, relayAttempts(relay.requests.slice(from)), `${r.side} ${r.model}`, ms(r.ms), `${pct(w.failures, w.requests)} (${w.failures}/${w.requests})`]);
    if (s.rollback) rolled = s;
  }
  table(rows, 'rlllrr', { indent: '      ' });
  expectAllOk(b, 'relay chain down');
  expect(rolled !== undefined, `no rollback after ${b.length} relay-routed requests the relay could not serve`);
  const rb = rolled!.rollback!;
  const w = rolled!.window.sides.relay;
  expect(rolled!.weight.effective === 0 && rb.holding, 'rollback: effective weight is not 0');
  const verdict = rb.reason === 'error_rate'
    ? `relay error rate ${(rb.value * 100).toFixed(1)}% > ${(rb.threshold * 100).toFixed(1)}% over ${w.requests} requests`
    : `relay p99 time to first byte ${rb.value} ms > ${rb.threshold} ms over ${w.requests} requests`;
  say(`  ${red('⟲')} ${bold(`rolled back: ${verdict}`)} ${dim('(1m window)')}`);
  say(`     /status weight: desired ${rolled!.weight.desired}, effective ${rolled!.weight.effective}; rollback {reason: ${rb.reason}, value: ${rb.value.toFixed(4)}, threshold: ${rb.threshold}, generation: ${rb.generation}}`);

  // 5c: after the rollback, the relay gets nothing.
  const relaySeen = relay.requests.length;
  const officialSeen = official.requests.length;
  const c = await inParallel(USERS, 8, (u) => app.ask(u));
  expectAllOk(c, 'after the rollback');
  const cSides = bySide(c);
  say(`  ${bold('5c')} after the rollback, ${c.length} requests (one per user): ${green(`${cSides.official.length}/${c.length} official`)}, ${relay.requests.length - relaySeen} reached the relay`);
  expect(cSides.official.length === c.length && relay.requests.length === relaySeen && official.requests.length - officialSeen === c.length, 'after the rollback: traffic still reached the relay');

  const after = await admin.metrics();
  const fallbacks = growth(before, after, 'bellwether_fallbacks_total');
  const retries = growth(before, after, 'bellwether_retries_total');
  say(`  fallbacks ${dim('(bellwether_fallbacks_total, this phase)')}`);
  table([['from', 'to', 'reason', 'count'], ...fallbacks.map((x) => [x.labels['from']!, x.labels['to']!, x.labels['reason']!, int(x.value)])], 'lllr', { indent: '    ' });
  say(`  retries ${dim('(bellwether_retries_total, this phase)')}`);
  table([['model', 'cause', 'count'], ...retries.map((x) => [x.labels['model']!, x.labels['cause']!, int(x.value)])], 'llr', { indent: '    ' });
  const opened = await showBreakers(admin, after);
  expect(fallbacks.some((x) => x.labels['from'] === 'deepseek-chat' && x.labels['to'] === 'kimi-k2'), 'no deepseek-chat → kimi-k2 fallback counted');
  expect(retries.some((x) => x.labels['cause'] === 'retry-after'), 'no retry honouring retry-after counted');
  const sent = app.sent - sent0;
  const failed = app.failed - failed0;
  expect(failed === 0, `${failed} app requests failed during the relay failure`);
  say(`  ${green('✓')} ${sent}/${sent} app requests succeeded while the relay failed`);
  summary.push(['5 failure', `${sent}/${sent} app requests succeeded; breakers opened for ${opened.join(', ')}`]);
  summary.push(['', `rolled back: ${verdict} (1m window); then ${c.length}/${c.length} to official`]);
}

/**
 * The breakers after the failure, from /status and from `metrics` (scraped
 * just before): all three relay models tripped. A tripped breaker reads
 * `open` during its cooldown and `half_open` once the cooldown has passed.
 * Returns the tripped relay models.
 */
async function showBreakers(admin: Stack['admin'], metrics: string): Promise<string[]> {
  const s = await admin.status();
  const scraped = circuitStates(metrics);
  const inState = (state: string): string => [...scraped].filter(([, v]) => v === state).map(([k]) => k.split('/')[1]!).join(', ') || 'none';
  say(`  breakers ${dim(`(/status breakers; bellwether_circuit_state = 1 for state="open": ${inState('open')}; state="half_open": ${inState('half_open')})`)}`);
  table([['side', 'model', 'state', 'failures in a row', 'next probe'], ...s.breakers.map((x) => [
    x.side, x.model, x.state, x.consecutiveFailures,
    x.nextProbeAt ? `in ${ms(Date.parse(x.nextProbeAt) - Date.now())}` : x.state === 'half_open' ? 'the next request' : '—',
  ])], 'lllrl', { indent: '    ' });
  const tripped = s.breakers.filter((x) => x.side === 'relay' && x.state !== 'closed').map((x) => x.model).sort();
  expect(tripped.join() === 'deepseek-chat,gemini-2.5-flash,kimi-k2', `breakers: expected all three relay models open (or half_open past their cooldown), got ${tripped.join(', ') || 'none'}`);
  // The scrape came first: a breaker may have reached half_open between it and /status, never the reverse.
  const disagree = s.breakers.filter((x) => {
    const m = scraped.get(`${x.side}/${x.model}`) ?? 'closed'; // no series yet: it never left closed
    return m !== x.state && !(m === 'open' && x.state === 'half_open');
  });
  expect(disagree.length === 0, `bellwether_circuit_state disagrees with /status for ${disagree.map((x) => `${x.model} (/status ${x.state}, metrics ${scraped.get(`${x.side}/${x.model}`) ?? 'closed'})`).join(', ')}`);
  return tripped;
}
