/**
 * Resilience end to end: retries, the chain, fallback to official, breakers,
 * the four timeouts, mid-stream failures and the pod-local rollback — with a
 * fault-injecting fake relay and the `openai` SDK as the app.
 */
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { ManualClock } from '../../sidecar/clock.js';
import { eventually, metric, startStack, type Spec, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

/** Fast settings so failures resolve in milliseconds. */
const fast: Spec = {
  canary: { weight: 100 },
  retry: { attempts: 2, backoff: { base: '1ms', max: '20ms' } },
  circuitBreaker: { consecutiveFailures: 100, cooldown: '30s' },
  timeouts: { connect: '300ms', firstByte: '300ms', idle: '300ms', total: '10s' },
};
const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hello' }] };
const stream = { ...chat, stream: true as const };
const fail503 = { kind: 'status', status: 503 } as const;
type APIError = InstanceType<typeof OpenAI.APIError>;

async function drain(s: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of s) n++;
  return n;
}

describe('retries', () => {
  it('retries a listed failure on the same model, then serves', async () => {
    stack = await startStack(fast);
    stack.relay.enqueue(fail503);
    const res = await stack.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'deepseek-chat']);
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_retries_total', { model: 'deepseek-chat', cause: 'backoff' })).toBe(1);
    expect(metric(m, 'bellwether_upstream_attempts_total', { model: 'deepseek-chat', result: 'http_503' })).toBe(1);
    expect(metric(m, 'bellwether_upstream_attempts_total', { model: 'deepseek-chat', result: 'ok' })).toBe(1);
  });

  it('honours retry-after-ms within backoff.max, waiting on the injected clock', async () => {
    const clock = new ManualClock();
    stack = await startStack({ ...fast, retry: { attempts: 2, backoff: { base: '1ms', max: '10s' } } }, { clock });
    stack.relay.enqueue({ kind: 'status', status: 429, retryAfterMs: 5000 });
    const pending = stack.client().chat.completions.create(chat).withResponse();
    await eventually(() => clock.sleeping === 1);
    clock.advance(4999);
    await new Promise((r) => setTimeout(r, 50));
    expect(stack.relay.requests).toHaveLength(1); // still waiting: 1 ms of the upstream's 5 s to go
    clock.advance(1);
    const res = await pending;
    expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect(metric(await stack.metrics(), 'bellwether_retries_total', { cause: 'retry-after' })).toBe(1);
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'deepseek-chat']);
  });

  it('moves along the chain instead of waiting out a Retry-After longer than backoff.max', async () => {
    stack = await startStack(fast);
    stack.relay.onModel('deepseek-chat', { kind: 'status', status: 429, retryAfter: '120' });
    const res = await stack.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'kimi-k2']);
    expect(metric(await stack.metrics(), 'bellwether_fallbacks_total', { from: 'deepseek-chat', to: 'kimi-k2', reason: 'http_429' })).toBe(1);
  });

  it('returns an app error (4xx other than 429) as is: no retry, no fallback', async () => {
    stack = await startStack(fast);
    stack.relay.enqueue({ kind: 'status', status: 400 });
    const err = (await stack.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(400);
    expect(err.headers?.get('x-bellwether-side')).toBe('relay');
    expect(stack.relay.requests).toHaveLength(1);
    expect(stack.official.requests).toHaveLength(0);
  });

  it('bounds the upstream calls of one app request: (chain + official) × (attempts + 1)', async () => {
    stack = await startStack(fast);
    stack.relay.setDefault(fail503);
    stack.official.setDefault(fail503);
    const err = (await stack.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(503);
    expect(stack.relay.requests).toHaveLength(3 * 3);
    expect(stack.official.requests).toHaveLength(3);
    // The sidecar already retried: it tells the app's SDK not to multiply that.
    expect(err.headers?.get('x-should-retry')).toBe('false');
  });

  it('does not retry failures retry.retryOn leaves out, but still falls back from them (ADR 0005)', async () => {
    stack = await startStack({ ...fast, retry: { attempts: 2, backoff: { base: '1ms', max: '20ms' }, retryOn: ['429'] } });
    stack.relay.setDefault(fail503);
    stack.official.enqueue(fail503);
    const err = (await stack.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    // One try per chain model, none retried; the official fallback's unlisted 503 is its answer, passed on.
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash']);
    expect(stack.official.requests).toHaveLength(1);
    expect(err.status).toBe(503);
    expect(err.headers?.get('x-bellwether-side')).toBe('official');
  });
});

describe('fallback', () => {
  it('walks the chain, then falls back to official under the official rename', async () => {
    stack = await startStack(fast);
    stack.relay.setDefault(fail503);
    const res = await stack.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    expect(res.data.choices[0]?.message.content).toContain('[official:gpt-4.1]');
    expect([...new Set(stack.relay.requests.map((r) => r.body.model))]).toEqual(['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash']);
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_fallbacks_total', { from: 'gemini-2.5-flash', to: 'official', reason: 'http_503' })).toBe(1);
  });

  it('with fallbackToOfficial false returns the last relay failure', async () => {
    stack = await startStack({ ...fast, canary: { weight: 100, fallbackToOfficial: false } });
    stack.relay.setDefault(fail503);
    const err = (await stack.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(503);
    expect(stack.official.requests).toHaveLength(0);
  });

  it('treats a relay 401 as a relay failure and goes straight to official', async () => {
    stack = await startStack(fast);
    stack.relay.setDefault({ kind: 'status', status: 401 });
    const res = await stack.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    expect(stack.relay.requests).toHaveLength(1);
  });

  it('skips chain models whose context window the request cannot fit', async () => {
    stack = await startStack(fast);
    await stack.client().chat.completions.create({ ...chat, max_tokens: 70_000 });
    expect(stack.relay.requests[0]!.body.model).toBe('kimi-k2');
  });

  it('sends a request no relay model fits to official, or refuses it with context_length_exceeded', async () => {
    stack = await startStack(fast);
    const huge = { ...chat, max_tokens: 2_000_000 };
    const res = await stack.client().chat.completions.create(huge).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    stack.writeRoute({ ...fast, canary: { weight: 100, fallbackToOfficial: false } });
    await eventually(async () => (await stack.status()).generation === 2);
    const err = (await stack.client().chat.completions.create(huge).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(400);
    expect(err.code).toBe('context_length_exceeded');
    expect(stack.relay.requests).toHaveLength(0);
  });
});

describe('circuit breakers', () => {
  it('open after consecutive failures, skip without a call, probe once after cooldown, close on success', async () => {
    const clock = new ManualClock();
    stack = await startStack({ ...fast, retry: { attempts: 0 }, circuitBreaker: { consecutiveFailures: 2, cooldown: '30s' } }, { clock });
    stack.relay.onModel('deepseek-chat', fail503);
    const client = stack.client();
    await client.chat.completions.create(chat);
    await client.chat.completions.create(chat);
    const calls = (): number => stack.relay.requests.filter((r) => r.body.model === 'deepseek-chat').length;
    expect(calls()).toBe(2);
    const status = await stack.status();
    expect(status.breakers).toContainEqual(expect.objectContaining({ side: 'relay', model: 'deepseek-chat', state: 'open' }));
    expect(metric(await stack.metrics(), 'bellwether_circuit_state', { model: 'deepseek-chat', state: 'open' })).toBe(1);
    expect(stack.logs.join('')).toContain('circuit opened for relay model deepseek-chat');

    const skipped = await client.chat.completions.create(chat).withResponse();
    expect(skipped.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    expect(calls()).toBe(2);

    stack.relay.onModel('deepseek-chat', { kind: 'json' });
    clock.advance(30_000);
    const probe = await client.chat.completions.create(chat).withResponse();
    expect(probe.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect(calls()).toBe(3);
    expect((await stack.status()).breakers).toContainEqual(expect.objectContaining({ model: 'deepseek-chat', state: 'closed' }));
  });
});

describe('timeouts', () => {
  it('connect: a TLS handshake that never completes times out and falls back', async () => {
    const net = await import('node:net');
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      stack = await startStack((official) => ({ ...fast, retry: { attempts: 0 }, relay: { baseURL: `https://127.0.0.1:${port}/v1`, apiKeySecretRef: { name: 'k', key: 'k' } }, official: { baseURL: official.url } }));
      const res = await stack.client().chat.completions.create(chat).withResponse();
      expect(res.response.headers.get('x-bellwether-side')).toBe('official');
      expect(metric(await stack.metrics(), 'bellwether_upstream_attempts_total', { side: 'relay', result: 'timeout' })).toBe(3);
    } finally {
      silent.close();
    }
  });

  it('firstByte: an upstream that never answers, or sends headers and stalls, is left for the next model', async () => {
    stack = await startStack({ ...fast, retry: { attempts: 0 } });
    stack.relay.onModel('deepseek-chat', { kind: 'stall' });
    stack.relay.onModel('kimi-k2', { kind: 'headers-then-stall' });
    const s = await stack.client().chat.completions.create(stream).withResponse();
    expect(s.response.headers.get('x-bellwether-model')).toBe('gemini-2.5-flash');
    expect(await drain(s.data)).toBeGreaterThan(0);
    expect(metric(await stack.metrics(), 'bellwether_fallbacks_total', { reason: 'timeout' })).toBe(2);
  });

  it('fire on time: a plain timer, not undici\'s coarse one (which fired a 500 ms firstByte at ~1 s)', async () => {
    // The bounds are loose on purpose (a shared 2-core machine); a 1 s-resolution timer misses them by far.
    stack = await startStack({ ...fast, retry: { attempts: 0 }, timeouts: { connect: '300ms', firstByte: '400ms', idle: '400ms', total: '10s' } });
    stack.relay.onModel('deepseek-chat', { kind: 'stall' });
    stack.relay.onModel('kimi-k2', { kind: 'headers-then-stall' });
    const pending = stack.client().chat.completions.create(stream).withResponse();
    const arrivals: number[] = [];
    for (let n = 1; n <= 3; n++) {
      await stack.relay.waitForRequests(n);
      arrivals.push(performance.now());
    }
    const res = await pending;
    expect(res.response.headers.get('x-bellwether-model')).toBe('gemini-2.5-flash');
    const gaps = [arrivals[1]! - arrivals[0]!, arrivals[2]! - arrivals[1]!];
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(390);
      expect(gap).toBeLessThan(650);
    }
  });

  it('idle: a stream that stalls after bytes reached the app ends with an error event', async () => {
    stack = await startStack(fast);
    stack.relay.setDefault({ kind: 'sse', chunks: 5, stallAfter: 2 });
    const s = await stack.client().chat.completions.create(stream);
    const err = (await drain(s).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.code).toBe('upstream_stream_interrupted');
    expect(err.message).toContain('idle_timeout');
    expect(metric(await stack.metrics(), 'bellwether_stream_errors_total', { reason: 'idle_timeout' })).toBe(1);
  });

  it('total: a request over spec.timeouts.total gets a 504', async () => {
    // Every attempt stalls until firstByte; retries would go on for seconds, total cuts it at 500 ms.
    stack = await startStack({ ...fast, retry: { attempts: 5, backoff: { base: '1ms', max: '5ms' } }, timeouts: { connect: '100ms', firstByte: '200ms', idle: '200ms', total: '500ms' } });
    stack.relay.setDefault({ kind: 'stall' });
    const err = (await stack.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(504);
    expect(err.code).toBe('upstream_timeout');
  });
});

describe('mid-stream failures', () => {
  for (const [name, fault, reason] of [
    ['a cut connection', { cutAfter: 3 }, 'cut'],
    ['a connection reset', { resetAfter: 3 }, 'cut'],
    ['a malformed chunk', { garbageAfter: 3 }, 'malformed'],
    ['a clean end without [DONE]', { endAfter: 3 }, 'cut'],
  ] as const) {
    it(`${name} surfaces as an error to the app, never as a clean truncated stream`, async () => {
      stack = await startStack(fast);
      stack.relay.setDefault({ kind: 'sse', chunks: 6, ...fault });
      const s = await stack.client({}).chat.completions.create(stream);
      const err = await drain(s).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect((err as APIError).code).toBe('upstream_stream_interrupted');
      expect(metric(await stack.metrics(), 'bellwether_stream_errors_total', { side: 'relay', reason })).toBe(1);
      expect(stack.official.requests).toHaveLength(0); // bytes had reached the app: no fallback
    });
  }

  it('a stream cut after its headers but before its first event falls back, and the final error names each cause', async () => {
    stack = await startStack({ ...fast, retry: { attempts: 0 }, canary: { weight: 100, fallbackToOfficial: false } });
    stack.relay.setDefault({ kind: 'sse', firstChunkDelayMs: 30, cutAfter: 0 }); // 200 headers, then the cut
    const err = (await stack.client().chat.completions.create(stream).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_unavailable');
    // each candidate and what went wrong with it, for whoever reads the app's error
    expect(err.message).toMatch(/relay deepseek-chat: .*closed; relay kimi-k2: .*; relay gemini-2.5-flash: /);
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash']);
  });

  it('a malformed first event is still a failure the sidecar can fall back from', async () => {
    stack = await startStack({ ...fast, retry: { attempts: 0 } });
    stack.relay.onModel('deepseek-chat', { kind: 'sse', garbageAfter: 0 });
    const s = await stack.client().chat.completions.create(stream).withResponse();
    expect(s.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    expect(await drain(s.data)).toBeGreaterThan(0);
  });
});

describe('pod-local rollback', () => {
  const rollback = (extra: Spec = {}): Spec => ({
    ...fast,
    retry: { attempts: 0 },
    rollback: { window: '1m', minRequests: 10, maxErrorRate: 0.2, maxP99Latency: '2s', ...extra },
  });

  it('rolls back to official when the relay error rate crosses the threshold, and holds until a new generation', async () => {
    stack = await startStack(rollback());
    stack.relay.setDefault(fail503);
    const client = stack.client();
    for (let i = 0; i < 10; i++) await client.chat.completions.create(chat); // every one served by official fallback
    const status = await stack.status();
    expect(status.weight).toEqual({ desired: 100, fleet: null, effective: 0 });
    expect(status.rollback).toMatchObject({ reason: 'error_rate', value: 1, threshold: 0.2, holding: true });
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_rollbacks_total', { scope: 'pod', reason: 'error_rate' })).toBe(1);
    expect(metric(m, 'bellwether_canary_weight', { kind: 'effective' })).toBe(0);
    expect(stack.logs.join('')).toContain('rolled back to the official API: relay error rate 100.00% > 20.00%');

    const relayCalls = stack.relay.requests.length;
    const after = await client.chat.completions.create(chat).withResponse();
    expect(after.response.headers.get('x-bellwether-side')).toBe('official');
    expect(stack.relay.requests.length).toBe(relayCalls);

    stack.relay.setDefault({ kind: 'json' });
    stack.writeRoute({ ...rollback(), canary: { weight: 90 } });
    await eventually(async () => (await stack.status()).weight.effective === 90);
    expect((await stack.status()).rollback).toBeNull();
  });

  it('resumes cleanly under concurrent traffic: a new generation closes the relay breakers too', async () => {
    stack = await startStack({ ...rollback(), circuitBreaker: { consecutiveFailures: 2, cooldown: '1h' } });
    stack.relay.setDefault(fail503);
    const client = stack.client();
    for (let i = 0; i < 10; i++) await client.chat.completions.create(chat);
    expect((await stack.status()).weight.effective).toBe(0);

    stack.relay.setDefault({ kind: 'json' });
    // What `kubectl relay resume` does: bump spec.canary.restartedAt, a new generation.
    stack.writeRoute({ ...rollback(), circuitBreaker: { consecutiveFailures: 2, cooldown: '1h' }, canary: { weight: 100, restartedAt: '2026-11-23T04:30:00Z' } });
    await eventually(async () => (await stack.status()).rollback === null);
    const sides = await Promise.all(
      Array.from({ length: 30 }, async () => (await client.chat.completions.create(chat).withResponse()).response.headers.get('x-bellwether-side')),
    );
    expect(sides.every((s) => s === 'relay')).toBe(true);
    const status = await stack.status();
    expect(status.rollback).toBeNull();
    expect(status.window.sides.relay).toMatchObject({ requests: 30, failures: 0 });
  });

  it('rolls back on p99 time to first byte', async () => {
    stack = await startStack(rollback({ maxP99Latency: '100ms', maxErrorRate: 1 }));
    stack.relay.setDefault({ kind: 'json', latencyMs: 150 });
    const client = stack.client();
    await Promise.all(Array.from({ length: 10 }, () => client.chat.completions.create(chat)));
    const status = await stack.status();
    expect(status.rollback).toMatchObject({ reason: 'p99_latency', threshold: 100 });
    expect(status.rollback.value).toBeGreaterThan(100);
    expect(status.weight.effective).toBe(0);
  });

  it('with action: alert reports the breach but keeps the weight', async () => {
    stack = await startStack(rollback({ action: 'alert' }));
    stack.relay.setDefault(fail503);
    const client = stack.client();
    for (let i = 0; i < 10; i++) await client.chat.completions.create(chat);
    const status = await stack.status();
    expect(status.rollback).toMatchObject({ reason: 'error_rate', action: 'alert', holding: false });
    expect(status.weight.effective).toBe(100);
    expect(metric(await stack.metrics(), 'bellwether_rollbacks_total')).toBe(0);
  });
});
