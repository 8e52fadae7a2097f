/**
 * A request aborted while its cache lookup waits on a stalled Redis still
 * gets exactly one response: spec.timeouts.total → 504 upstream_timeout, the
 * shutdown deadline → 503 shutting_down. The lookup is raced against the
 * request's deadline, so a Redis timeout longer than the request's own never
 * holds the request (or its spec.limits.maxConcurrent slot).
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { eventually, metric, startStack, type Stack } from './harness.js';
import { startRedis, type RedisServer } from '../fakes/redis-server.js';

let stack: Stack | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  redis?.resume();
  await stack?.close();
  await redis?.close();
  stack = redis = undefined;
});

const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

/** A sidecar on a Redis that is then stopped (SIGSTOP): lookups hang until the 10 s Redis timeout. */
async function stalledCache(weight: number, timeouts: Record<string, string> = {}): Promise<Stack> {
  redis = await startRedis();
  const s = await startStack({ canary: { weight }, cache: { backend: 'redis', redis: { url: redis.url, timeout: '10s' } }, ...(Object.keys(timeouts).length ? { timeouts } : {}) });
  await eventually(async () => (await s.status()).cache.state === 'ready');
  redis.pause();
  return s;
}

it('answers 504 when spec.timeouts.total runs out during the lookup, and frees the request', async () => {
  stack = await stalledCache(100, { connect: '100ms', firstByte: '300ms', idle: '300ms', total: '300ms' });
  const err = await stack.client({ timeout: 8_000 }).chat.completions.create(chat).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.APIError);
  const e = err as InstanceType<typeof OpenAI.APIError>;
  expect(e.status).toBe(504);
  expect(e.headers?.get('x-bellwether-error')).toBe('upstream_timeout');
  expect(stack.official.requests).toHaveLength(0);
  expect(stack.relay.requests).toHaveLength(0);
  await eventually(async () => metric(await stack!.metrics(), 'bellwether_inflight_requests') === 0);
  // The request was relay-routed, but the relay never saw it: its rollback window is untouched.
  expect((await stack.status()).window.sides.relay.requests).toBe(0);
});

it('answers 503 when the shutdown deadline comes during the lookup', async () => {
  stack = await stalledCache(0);
  const pending = stack.client({ timeout: 8_000 }).chat.completions.create(chat).then(() => undefined, (e: unknown) => e);
  await eventually(async () => metric(await stack!.metrics(), 'bellwether_inflight_requests') === 1);
  const shutdown = stack.sidecar.shutdown({ drainDelayMs: 0, timeoutMs: 200 });
  const err = await pending;
  await shutdown;
  expect(err).toBeInstanceOf(OpenAI.APIError);
  const e = err as InstanceType<typeof OpenAI.APIError>;
  expect(e.status).toBe(503);
  expect(e.headers?.get('x-bellwether-error')).toBe('sidecar_shutting_down');
});
