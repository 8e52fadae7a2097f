/**
 * spec.budget in one sidecar, over real sockets with the openai SDK: its own
 * spend counted at catalog prices, a model over its cap skipped like an open
 * breaker, the route over its cap answered 429 budget_exceeded (the official
 * side included), alert only reporting, and the operator's fleet figure
 * taken from the rendered route's annotation without counting twice.
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { eventually, metric, startStack, type Spec, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

type APIError = InstanceType<typeof OpenAI.APIError>;
const chat = (model = 'gpt-4o') => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });
/** Every model costs exactly $2 for the fake's usage (10 prompt + 5 completion tokens). */
const price = { input: 100_000, output: 200_000 };
const priced: Spec = {
  catalog: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1'].map((name) => ({ name, price })),
  retry: { attempts: 0, backoff: { base: '1ms', max: '10ms' } },
};
const budget = (b: Record<string, unknown>): Spec => ({ ...priced, budget: b });

it('block: the route over its daily cap answers 429 budget_exceeded to the relay and the official side alike', async () => {
  stack = await startStack(budget({ daily: 5, action: 'block' }));
  const client = stack.client();
  for (let i = 0; i < 3; i++) await client.chat.completions.create(chat()); // $2, $4, then $6: the third started under the cap
  let appCalls = 0;
  const sdk = new OpenAI({
    baseURL: stack.sidecar.baseURL,
    apiKey: 'app-key',
    maxRetries: 2,
    fetch: (url, init) => {
      appCalls++;
      return fetch(url, init);
    },
  });
  const err = (await sdk.chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err).toBeInstanceOf(OpenAI.RateLimitError);
  expect(err.status).toBe(429);
  expect(err.code).toBe('budget_exceeded');
  expect(err.type).toBe('insufficient_quota');
  expect(err.message).toContain("The route's daily budget is spent: $6.00 of spec.budget.daily $5.00 today (UTC)");
  expect(err.headers?.get('x-bellwether-error')).toBe('budget_exceeded');
  expect(err.headers?.get('x-bellwether-side')).toBe('none');
  expect(err.headers?.get('x-should-retry')).toBe('false');
  const retryAfter = Number(err.headers?.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(86_400);
  expect(appCalls).toBe(1); // x-should-retry: false — the SDK does not hammer a spent budget

  // The official side too: a hard stop of the route's spend, at any weight.
  stack.writeRoute({ ...budget({ daily: 5, action: 'block' }), canary: { weight: 0 } });
  await eventually(async () => (await stack.status()).weight.desired === 0);
  const official = (await client.chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(official.code).toBe('budget_exceeded');
  expect(stack.relay.requests).toHaveLength(3);
  expect(stack.official.requests).toHaveLength(0);

  const s = await stack.status();
  expect(s.budget).toMatchObject({
    action: 'block',
    own: { routeUSD: 6, models: { 'deepseek-chat': 6 } },
    fleet: null,
    route: { spentUSD: 6, limitUSD: 5, exhausted: true },
  });
  expect(s.budget.day).toBe(new Date().toISOString().slice(0, 10));
  const m = await stack.metrics();
  expect(metric(m, 'bellwether_budget_spent_usd', { scope: 'route', model: '' })).toBe(6);
  expect(metric(m, 'bellwether_budget_limit_usd', { scope: 'route', model: '' })).toBe(5);
  expect(metric(m, 'bellwether_budget_blocked_total', { scope: 'route' })).toBe(2);
  expect(metric(m, 'bellwether_requests_total', { side: 'none', status_class: '4xx' })).toBe(2);
  expect(stack.logs.join('')).toContain('daily budget reached for the route: $6.00 >= $5.00 today (UTC)');
});

it('block: a chain model over its cap is skipped like an open breaker — the chain moves on, and the relay is not blamed', async () => {
  stack = await startStack(budget({ models: [{ name: 'deepseek-chat', daily: 3 }], action: 'block' }));
  const client = stack.client();
  const served: Array<string | null> = [];
  for (let i = 0; i < 4; i++) {
    const res = await client.chat.completions.create(chat()).withResponse();
    served.push(res.response.headers.get('x-bellwether-model'));
  }
  expect(served).toEqual(['deepseek-chat', 'deepseek-chat', 'kimi-k2', 'kimi-k2']);
  expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'deepseek-chat', 'kimi-k2', 'kimi-k2']); // never called over its cap
  const s = await stack.status();
  expect(s.window.sides.relay).toMatchObject({ requests: 4, failures: 0 });
  expect(s.budget.models).toEqual([
    { name: 'deepseek-chat', spentUSD: 4, limitUSD: 3, exhausted: true },
    { name: 'kimi-k2', spentUSD: 4, limitUSD: null, exhausted: false },
  ]);
  const m = await stack.metrics();
  expect(metric(m, 'bellwether_budget_blocked_total', { scope: 'model' })).toBe(2);
  expect(metric(m, 'bellwether_budget_limit_usd', { scope: 'model', model: 'deepseek-chat' })).toBe(3);
  expect(metric(m, 'bellwether_budget_spent_usd', { scope: 'model', model: 'kimi-k2' })).toBe(4);
});

it('block: every candidate over its cap answers 429 budget_exceeded naming the models', async () => {
  stack = await startStack(budget({ models: [{ name: 'kimi-k2', daily: 1 }], action: 'block' }));
  const client = stack.client();
  await client.chat.completions.create(chat('o3')); // the "*" rule: kimi-k2, $2
  stack.writeRoute({ ...budget({ models: [{ name: 'kimi-k2', daily: 1 }], action: 'block' }), canary: { weight: 100, fallbackToOfficial: false } });
  await eventually(async () => (await stack.status()).generation === 2);
  const err = (await client.chat.completions.create(chat('o3')).catch((e: unknown) => e)) as APIError;
  expect(err.status).toBe(429);
  expect(err.code).toBe('budget_exceeded');
  expect(err.message).toContain('over its daily budget today (UTC): kimi-k2');
  expect(stack.relay.requests).toHaveLength(1);
});

it('alert: reports the reached cap and changes nothing', async () => {
  stack = await startStack(budget({ daily: 1, models: [{ name: 'deepseek-chat', daily: 1 }] })); // action defaults to alert
  const client = stack.client();
  for (let i = 0; i < 3; i++) {
    const res = await client.chat.completions.create(chat()).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
  }
  const s = await stack.status();
  expect(s.budget).toMatchObject({ action: 'alert', route: { spentUSD: 6, limitUSD: 1, exhausted: true } });
  const m = await stack.metrics();
  expect(metric(m, 'bellwether_budget_blocked_total')).toBe(0);
  // Both scopes' series exist at 0, so a blocked-per-second panel reads 0 rather than nothing.
  expect(m).toMatch(/^bellwether_budget_blocked_total\{scope="route"\} 0$/m);
  expect(m).toMatch(/^bellwether_budget_blocked_total\{scope="model"\} 0$/m);
  expect(stack.logs.join('')).toContain('action alert: traffic unchanged');
});

it('acts on the operator\'s fleet figure plus its own spend since the figure arrived, never counting itself twice', async () => {
  const b = budget({ daily: 20, action: 'block' });
  stack = await startStack(b);
  const client = stack.client();
  await client.chat.completions.create(chat()); // own $2
  // The operator read that $2 and other pods' $14: the figure is $16 (it holds our $2 already).
  const annotate = (route: number) => ({
    generation: 2,
    annotations: { 'bellwether.dev/effective-weight': '100', 'bellwether.dev/budget-spent': JSON.stringify({ day: new Date().toISOString().slice(0, 10), route, models: { 'deepseek-chat': route } }) },
  });
  stack.writeRoute(b, annotate(16));
  await eventually(async () => (await stack.status()).budget.fleet?.routeUSD === 16);
  expect((await stack.status()).budget.route.spentUSD).toBe(16); // not 18
  await client.chat.completions.create(chat()); // $18
  await client.chat.completions.create(chat()); // $20: the cap
  expect((await stack.status()).budget.route).toEqual({ spentUSD: 20, limitUSD: 20, exhausted: true });
  const err = (await client.chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err.code).toBe('budget_exceeded');
  expect(stack.relay.requests).toHaveLength(3);
});

it('ignores a figure of another UTC day', async () => {
  const b = budget({ daily: 20, action: 'block' });
  stack = await startStack(b);
  stack.writeRoute(b, { generation: 2, annotations: { 'bellwether.dev/effective-weight': '100', 'bellwether.dev/budget-spent': '{"day":"2020-01-01","route":999,"models":{}}' } });
  await eventually(async () => (await stack.status()).generation === 2);
  const res = await stack.client().chat.completions.create(chat()).withResponse();
  expect(res.response.status).toBe(200);
  expect((await stack.status()).budget).toMatchObject({ fleet: null, route: { spentUSD: 2 } });
});
