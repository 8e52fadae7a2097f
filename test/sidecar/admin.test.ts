/**
 * The admin port: health endpoints, the Prometheus exposition (every promised
 * metric, bounded labels) and the `/status` document the operator merges.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { metric, startStack, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const chat = (model = 'gpt-4o') => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });
const get = (path: string, init?: RequestInit) => fetch(`${stack.sidecar.adminURL}${path}`, init);

/** Names the route in harness.ts lists (chain models, official renames, catalog). */
const ROUTE_MODELS = ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1'];

const PROMISED = [
  'bellwether_requests_total',
  'bellwether_request_duration_seconds',
  'bellwether_tokens_total',
  'bellwether_cost_usd_total',
  'bellwether_savings_usd_total',
  'bellwether_canary_weight',
  'bellwether_config_reload_errors_total',
  'bellwether_upstream_attempts_total',
  'bellwether_fallbacks_total',
  'bellwether_retries_total',
  'bellwether_stream_errors_total',
  'bellwether_circuit_state',
  'bellwether_rollbacks_total',
];

describe('health endpoints', () => {
  it('answers /healthz and /readyz, 404 for unknown paths and 405 for anything but GET', async () => {
    stack = await startStack();
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/readyz?verbose=1')).status).toBe(200);
    const missing = await get('/v1/chat/completions');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/status');
    for (const path of ['/status', '/metrics', '/healthz']) {
      expect((await get(path, { method: 'POST', body: '{}' })).status).toBe(405);
    }
    expect((await get('/status', { method: 'DELETE' })).status).toBe(405);
    expect((await get('/status')).headers.get('content-type')).toBe('application/json');
  });
});

describe('/metrics', () => {
  it('exposes every promised metric with help text, and both latency phases after traffic', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    await stack.client().chat.completions.create(chat());
    const stream = await stack.client().chat.completions.create({ ...chat(), stream: true });
    for await (const _ of stream); // eslint-disable-line @typescript-eslint/no-unused-vars
    const m = await stack.metrics();
    for (const name of PROMISED) {
      expect(m, name).toMatch(new RegExp(`^# HELP ${name} \\S.{20,}$`, 'm'));
      expect(m, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
    expect(m).toMatch(/^# TYPE bellwether_request_duration_seconds histogram$/m);
    for (const phase of ['ttfb', 'total']) {
      expect(metric(m, 'bellwether_request_duration_seconds_count', { side: 'relay', endpoint: 'chat_completions', phase })).toBe(2);
      expect(metric(m, 'bellwether_request_duration_seconds_bucket', { side: 'relay', phase, le: '+Inf' })).toBe(2);
    }
    expect(metric(m, 'bellwether_requests_total', { side: 'relay', status_class: '2xx' })).toBe(2);
    expect(metric(m, 'bellwether_upstream_attempts_total', { side: 'relay', model: 'deepseek-chat', result: 'ok' })).toBe(2);
    expect(metric(m, 'bellwether_canary_weight', { kind: 'effective' })).toBe(100);
    expect(metric(m, 'bellwether_tokens_total', { side: 'relay', model: 'deepseek-chat', kind: 'output' })).toBeGreaterThan(0);
  });

  it('never turns the model the app sent into a label value', async () => {
    // Half official: the `*` rule has no rename, so the raw name reaches the official API and its reply.
    stack = await startStack({ canary: { weight: 50 } });
    const names = Array.from({ length: 50 }, () => `model-${randomUUID()}`);
    const client = stack.client();
    await Promise.all(names.map((n) => client.chat.completions.create(chat(n))));
    expect(stack.official.requests.length).toBeGreaterThan(0);
    expect(names).toContain(stack.official.requests[0]!.body.model);

    const m = await stack.metrics();
    const values = new Set([...m.matchAll(/\bmodel="([^"]*)"/g)].map((x) => x[1]));
    expect(values.has('other')).toBe(true);
    // '': the route-scope series of bellwether_budget_spent_usd (ISSUE10's naming).
    for (const v of values) expect([...ROUTE_MODELS, 'other', ''], `model label ${v}`).toContain(v);
    const status = JSON.stringify(await stack.status());
    for (const n of names) {
      expect(m).not.toContain(n);
      expect(status).not.toContain(n);
    }
    expect(metric(m, 'bellwether_requests_total')).toBe(50);
  });
});

describe('/status', () => {
  it('has the documented shape, with cumulative counts that match the requests sent', async () => {
    stack = await startStack({ canary: { weight: 50 } });
    const client = stack.client();
    const n = 40;
    for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: 10 }, () => client.chat.completions.create(chat())));
    const s = await stack.status();

    expect(s).toMatchObject({
      apiVersion: 'bellwether.dev/v1alpha1',
      kind: 'SidecarStatus',
      ready: true,
      route: { namespace: 'shop', name: 'support-bot' },
      generation: 1,
      weight: { desired: 50, effective: 50 },
      rollback: null,
      keys: { relay: 'loaded', official: 'app' },
      config: { files: { route: { ok: true }, relay_key: { ok: true } } },
      thresholds: { minRequests: 100, maxErrorRate: 0.01, maxP99LatencyMs: 2000, action: 'rollback' },
    });
    expect(Date.parse(s.time)).not.toBeNaN();
    const { windowMs, boundsMs, sides } = s.window;
    expect(windowMs).toBe(15 * 60_000);
    expect(boundsMs.length).toBeGreaterThan(5);
    boundsMs.forEach((b: number, i: number) => i > 0 && expect(b).toBeGreaterThan(boundsMs[i - 1]));
    expect(Object.keys(sides).sort()).toEqual(['official', 'relay']);

    let total = 0;
    for (const side of ['relay', 'official']) {
      const w = sides[side];
      expect(Object.keys(w).sort()).toEqual(['counts', 'errorRate', 'failures', 'p99LatencyMs', 'requests', 'slow']);
      expect(w.failures).toBe(0);
      expect(w.errorRate).toBe(0);
      expect(w.counts).toHaveLength(boundsMs.length + 1);
      w.counts.forEach((c: number, i: number) => i > 0 && expect(c).toBeGreaterThanOrEqual(w.counts[i - 1]));
      expect(w.counts.at(-1)).toBe(w.requests); // every served request has a TTFB sample
      expect(w.requests).toBe(stack[side as 'relay' | 'official'].requests.length);
      // The documented p99: the upper bound of the bucket holding the sample of rank ceil(0.99·n).
      const rank = Math.ceil(0.99 * w.requests);
      expect(w.p99LatencyMs).toBe(boundsMs[w.counts.findIndex((c: number) => c >= rank)]);
      total += w.requests;
    }
    expect(total).toBe(n);

    expect(Array.isArray(s.breakers)).toBe(true);
    for (const b of s.breakers) {
      expect(['relay', 'official']).toContain(b.side);
      expect(['closed', 'open', 'half_open']).toContain(b.state);
      expect(typeof b.consecutiveFailures).toBe('number');
    }
    expect(s.totals.costUSD).toBeGreaterThan(0);
    expect(s.totals.savingsUSD).toBeGreaterThan(0);
  });

  it('reports an empty window as zero requests and a null p99', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    const { window } = await stack.status();
    expect(window.sides.relay).toEqual({
      requests: 0, failures: 0, errorRate: 0, p99LatencyMs: null, slow: 0, counts: new Array(window.boundsMs.length + 1).fill(0),
    });
  });

  it('is documented key by key in docs/status-format.md', async () => {
    stack = await startStack({ canary: { weight: 100 }, cache: {} });
    await stack.client().chat.completions.create(chat());
    const s = await stack.status();
    const doc = readFileSync(new URL('../../docs/status-format.md', import.meta.url), 'utf8');
    const keys = (o: Record<string, unknown>) => Object.keys(o);
    const mentioned = [
      ...keys(s), ...keys(s.weight), ...keys(s.window), ...keys(s.window.sides.relay), ...keys(s.thresholds),
      ...keys(s.totals), ...keys(s.cache), ...keys(s.keys), ...keys(s.route), ...keys(s.breakers[0] ?? {}),
      ...keys(s.budget), ...keys(s.budget.own), ...keys(s.budget.route),
    ];
    // `key` or a dotted path ending in it, such as `window.windowMs`.
    const missing = [...new Set(mentioned)].filter((key) => !new RegExp(`[\`.]${key}\``).test(doc));
    expect(missing).toEqual([]);
    expect(doc).toContain('ceil(0.99');
  });
});
