/**
 * Phase 7, the response cache (spec.cache in examples/demo-route.yaml, which
 * caches only temperature-0 requests so the earlier phases' traffic always
 * reached an upstream): the same deterministic question asked twice by one
 * user. The first goes upstream and is stored; the second is answered by the
 * sidecar itself — `x-bellwether-cache: hit`, the same answer, no upstream
 * call, its cost counted as savings — and `Cache-Control: no-cache` from the
 * app skips the cache again.
 */
import OpenAI from 'openai';
import { expect } from '../check.js';
import { demoFetch } from '../connections.js';
import { metric } from '../metrics.js';
import { bold, ms, say, section, table, usd } from '../report.js';
import { APP_KEY } from '../scenario.js';
import type { Stack } from '../stack.js';

const QUESTION = [{ role: 'user' as const, content: 'What is your returns policy for opened items?' }];

export async function phaseCache({ sidecar, admin, official, relay, summary }: Stack): Promise<void> {
  section('7. response cache', 'one user asks the same temperature-0 question three times (spec.cache: ttl 10m, maxTemperature 0)');
  const client = new OpenAI({ baseURL: sidecar.appURL, apiKey: APP_KEY, maxRetries: 0, timeout: 15_000, fetch: demoFetch });
  const upstreamCalls = () => official.requests.length + relay.requests.length;
  const ask = async (noCache = false) => {
    const calls = upstreamCalls();
    const t0 = performance.now();
    const headers: Record<string, string> = { 'x-user-id': 'user-07', ...(noCache ? { 'cache-control': 'no-cache' } : {}) };
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: QUESTION, temperature: 0 }, { headers }).withResponse();
    const h = (n: string) => response.headers.get(n) ?? '—';
    return {
      cache: h('x-bellwether-cache'), side: h('x-bellwether-side'), model: h('x-bellwether-model'), origin: h('x-bellwether-cache-origin'),
      text: data.choices[0]?.message.content ?? '', id: data.id, ms: performance.now() - t0, upstream: upstreamCalls() - calls,
    };
  };
  const before = await admin.metrics();
  const first = await ask();
  // The entry is written after the reply reached the app: wait until the sidecar says it has it.
  await admin.until(performance.now(), (s) => (s.cache?.stores ?? 0) > 0, 'the stored reply');
  const second = await ask();
  const third = await ask(true);
  table([
    ['request', 'x-bellwether-cache', 'side', 'model', 'origin', 'upstream calls', 'time'],
    ['1st', first.cache, first.side, first.model, first.origin, first.upstream, ms(first.ms)],
    ['2nd (same question)', second.cache, second.side, second.model, second.origin, second.upstream, ms(second.ms)],
    ['3rd, Cache-Control: no-cache', third.cache, third.side, third.model, third.origin, third.upstream, ms(third.ms)],
  ], 'lllllrr');
  const after = await admin.metrics();
  const saved = metric(after, 'bellwether_cache_savings_usd_total') - metric(before, 'bellwether_cache_savings_usd_total');
  say(`  the hit is the ${bold(first.side)} answer of ${first.model}, replayed byte for byte (same id ${second.id === first.id ? '✓' : '✗'}); it saved ${bold(usd(saved))}, what that reply cost when it was stored`);
  expect(first.cache === 'miss' && first.upstream === 1, `cache: the first request should be a miss served upstream (got ${first.cache}, ${first.upstream} calls)`);
  expect(second.cache === 'hit' && second.side === 'cache' && second.upstream === 0, `cache: the second request should be a hit with no upstream call (got ${second.cache}, side ${second.side}, ${second.upstream} calls)`);
  expect(second.text === first.text && second.id === first.id && second.model === first.model && second.origin === first.side, 'cache: the hit is not the stored answer of the model that made it');
  expect(third.cache === 'bypass' && third.upstream === 1, `cache: Cache-Control no-cache should bypass the cache (got ${third.cache}, ${third.upstream} calls)`);
  expect(saved > 0 && metric(after, 'bellwether_requests_total', { side: 'cache' }) - metric(before, 'bellwether_requests_total', { side: 'cache' }) === 1, 'cache: the hit is not counted as a request served by side="cache" with its savings');
  summary.push(['7 cache', `a repeated temperature-0 question answered by the sidecar (x-bellwether-cache: hit, no upstream call), ${usd(saved)} saved; no-cache bypassed it`]);
}
