/**
 * spec.budget with spec.cache: a cache hit costs nothing, so the cache
 * answers before the block gate — a route or a model over its daily cap
 * still gets its repeated requests from the cache; only what would reach an
 * upstream is refused (ADR 0008).
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startStack, type Spec, type Stack } from './harness.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type APIError = InstanceType<typeof OpenAI.APIError>;
const chat = (content: string) => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content }] });
/** Every model costs exactly $2 for the fake's usage (10 prompt + 5 completion tokens). */
const price = { input: 100_000, output: 200_000 };
const priced: Spec = {
  catalog: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1'].map((name) => ({ name, price })),
  retry: { attempts: 0, backoff: { base: '1ms', max: '10ms' } },
  cache: {},
};

it('a route over its daily cap (action block) still answers a cache hit, and refuses a miss with 429', async () => {
  stack = await startStack({ ...priced, canary: { weight: 0 }, budget: { daily: 5, action: 'block' } });
  const client = stack.client();
  for (const content of ['a', 'b', 'c']) await client.chat.completions.create(chat(content)); // $6: over the $5 cap
  expect(stack.official.requests).toHaveLength(3);

  const hit = await client.chat.completions.create(chat('a')).withResponse();
  expect(hit.response.status).toBe(200);
  expect(hit.response.headers.get('x-bellwether-cache')).toBe('hit');
  expect(hit.data.choices[0]?.message.content).toBeTruthy();

  const miss = (await client.chat.completions.create(chat('d')).catch((e: unknown) => e)) as APIError;
  expect(miss).toBeInstanceOf(OpenAI.RateLimitError);
  expect(miss.code).toBe('budget_exceeded');
  expect(stack.official.requests).toHaveLength(3);
  expect((await stack.status()).budget.route).toMatchObject({ spentUSD: 6, exhausted: true }); // the hit cost nothing
});

it('a relay model over its own cap still answers its cached replies; a miss goes to the next model', async () => {
  stack = await startStack({ ...priced, canary: { weight: 100 }, budget: { models: [{ name: 'deepseek-chat', daily: 3 }], action: 'block' } });
  const client = stack.client();
  await client.chat.completions.create(chat('a')); // deepseek-chat: $2
  await client.chat.completions.create(chat('b')); // deepseek-chat: $4, over its $3 cap
  expect(stack.relay.requests.map((r) => r.body?.model)).toEqual(['deepseek-chat', 'deepseek-chat']);

  const hit = await client.chat.completions.create(chat('a')).withResponse();
  expect(hit.response.headers.get('x-bellwether-cache')).toBe('hit');
  const next = await client.chat.completions.create(chat('c')).withResponse();
  expect(next.response.headers.get('x-bellwether-cache')).toBe('miss');
  expect(stack.relay.requests.map((r) => r.body?.model)).toEqual(['deepseek-chat', 'deepseek-chat', 'kimi-k2']);
});
