/**
 * What keeps one sidecar's work bounded when apps or upstreams misbehave at
 * scale: the memory budget for in-flight requests, and log lines during an
 * outage.
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { metric, startStack, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hello' }] };

it('answers 503 sidecar_overloaded instead of buffering past --max-buffered-bytes, and recovers once the bytes are released', async () => {
  stack = await startStack({ canary: { weight: 0 }, limits: { maxRequestBytes: '2Mi' } }, { maxBufferedBytes: 4 * 1024 * 1024 });
  // Two requests of ~1.5 MiB whose replies the official API holds back: together they hold 3 MiB of a 4 MiB budget.
  stack.official.setDefault({ kind: 'json', latencyMs: 400 });
  const big = { ...chat, messages: [{ role: 'user' as const, content: 'x'.repeat(1.5 * 1024 * 1024) }] };
  const client = stack.client();
  const held = [client.chat.completions.create(big), client.chat.completions.create(big)];
  await stack.official.waitForRequests(2);
  const refused = (await client.chat.completions.create(big).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect(refused.status).toBe(503);
  expect(refused.code).toBe('sidecar_overloaded');
  expect(refused.headers?.get('retry-after')).toBe('1');
  await Promise.all(held);
  // The budget came back with the requests: the same request fits now.
  stack.official.setDefault({ kind: 'json' });
  await expect(client.chat.completions.create(big)).resolves.toMatchObject({ object: 'chat.completion' });
  // Nobody upstream was blamed.
  expect(metric(await stack.metrics(), 'bellwether_upstream_attempts_total', { result: 'local_error' })).toBe(0);
});

it('writes one fallback line per kind per interval in an outage, not one per request', async () => {
  stack = await startStack({
    canary: { weight: 100 },
    retry: { attempts: 0 },
    circuitBreaker: { consecutiveFailures: 1000, cooldown: '30s' },
  });
  stack.relay.setDefault({ kind: 'status', status: 503 });
  const client = stack.client();
  for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 10 }, () => client.chat.completions.create(chat)));
  expect(metric(await stack.metrics(), 'bellwether_fallbacks_total')).toBe(300); // 100 requests × 3 moves
  const lines = stack.logs.filter((l) => l.includes('falling back'));
  // deepseek-chat → kimi-k2 → gemini-2.5-flash → official: three kinds, each logged once in the interval.
  expect(lines).toHaveLength(3);
});
