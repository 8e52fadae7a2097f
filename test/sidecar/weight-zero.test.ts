/**
 * At weight 0 the sidecar is invisible: every request goes to the official
 * API and comes back as the official API answered it. The sidecar adds no
 * retries of its own, no breakers gate the official side, and a request the
 * official SDK or curl would send unchanged to OpenAI works unchanged here.
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELAY_KEY, eventually, metric, startStack, type Spec, type Stack } from './harness.js';
import { expectContinue } from '../fakes/slow-client.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

type APIError = InstanceType<typeof OpenAI.APIError>;
const chat = (model = 'gpt-4o') => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });
/** Quick failures; breakers that trip after 2 and stay open for an hour, so any gating shows. */
const fast: Spec = {
  canary: { weight: 0 },
  retry: { attempts: 2, backoff: { base: '1ms', max: '20ms' } },
  circuitBreaker: { consecutiveFailures: 2, cooldown: '1h' },
  timeouts: { connect: '300ms', firstByte: '500ms', idle: '500ms', total: '5s' },
};

it('passes official 429s on as the official sent them, and a rate-limited model does not shut out the next request', async () => {
  stack = await startStack(fast);
  const rateLimited = { kind: 'status', status: 429, retryAfter: '1' } as const;
  stack.official.onModel('gpt-4.1', rateLimited);
  const client = stack.client();
  for (let i = 0; i < 3; i++) {
    const err = (await client.chat.completions.create(chat('gpt-4o')).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.message).toContain('[official:gpt-4.1] Rate limit reached');
    expect(err.headers?.get('retry-after')).toBe('1');
    expect(err.headers?.get('x-should-retry')).not.toBe('false'); // the app's SDK decides, as with OpenAI itself
    expect(err.headers?.get('x-bellwether-side')).toBe('official');
  }
  expect(stack.official.requests).toHaveLength(3); // one upstream call per app request
  stack.official.onModel('gpt-4.1', { kind: 'json' });
  const res = await client.chat.completions.create(chat('gpt-4o-mini')).withResponse();
  expect(res.response.status).toBe(200);
  expect(res.response.headers.get('x-bellwether-side')).toBe('official');
  expect(stack.official.requests).toHaveLength(4);
});

it('adds no retries of its own to official-picked requests: the SDK\'s retries are the only ones', async () => {
  stack = await startStack(fast);
  stack.official.setDefault({ kind: 'status', status: 503, retryAfterMs: 5 }); // the SDK honours retry-after-ms: a quick test
  let appCalls = 0;
  const client = new OpenAI({
    baseURL: stack.sidecar.baseURL,
    apiKey: 'app-key',
    maxRetries: 2,
    fetch: (url, init) => {
      appCalls++;
      return fetch(url, init);
    },
  });
  const err = (await client.chat.completions.create(chat('gpt-4o')).catch((e: unknown) => e)) as APIError;
  expect(err).toBeInstanceOf(OpenAI.APIError);
  expect(err.status).toBe(503);
  expect(appCalls).toBe(3); // the SDK tried three times …
  expect(stack.official.requests).toHaveLength(3); // … and each try was exactly one official call
});

it('never answers an official-picked request itself after official failures: breakers do not gate the official side', async () => {
  stack = await startStack(fast);
  const client = stack.client();
  const sides: Array<string | null | undefined> = [];
  for (const fault of [
    { kind: 'status', status: 503 },
    { kind: 'status', status: 500 },
    { kind: 'status', status: 429, retryAfterMs: 1 },
    { kind: 'reset' },
    { kind: 'stall' },
  ] as const) {
    stack.official.setDefault(fault);
    for (let i = 0; i < 3; i++) {
      const err = (await client.chat.completions.create(chat('gpt-4o')).catch((e: unknown) => e)) as APIError;
      expect(err).toBeInstanceOf(OpenAI.APIError);
      if (fault.kind === 'status') sides.push(err.headers?.get('x-bellwether-side')); // the official's own answer
    }
  }
  expect(sides.every((s) => s === 'official')).toBe(true);
  stack.official.setDefault({ kind: 'json' });
  for (const model of ['gpt-4o', 'gpt-4o-mini', 'o3-mini']) {
    const res = await client.chat.completions.create(chat(model)).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
  }
  expect((await stack.status()).breakers.filter((b: { side: string; state: string }) => b.side === 'official' && b.state !== 'closed')).toEqual([]);
});

it('serves an Expect: 100-continue upload (curl, body over 1 KiB) at weight 0 and 100, and it trips nothing', async () => {
  for (const [weight, side] of [[0, 'official'], [100, 'relay']] as const) {
    stack = await startStack({ ...fast, canary: { weight } });
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    for (let i = 0; i < 3; i++) {
      const r = await expectContinue({ url: `${stack.sidecar.baseURL}/chat/completions`, body, headers: { authorization: 'Bearer app-key' } });
      expect(r.status, `weight ${weight}: ${r.body.toString()}`).toBe(200);
      expect(r.headers['x-bellwether-side']).toBe(side);
      expect(JSON.parse(r.body.toString())).toMatchObject({ object: 'chat.completion' });
    }
    // The pass-through path too (a stateless upload: /v1/files would stay official, ADR 0006).
    const upload = await expectContinue({ url: `${stack.sidecar.baseURL}/audio/transcriptions`, body, headers: { authorization: 'Bearer app-key' } });
    expect(upload.status).toBe(200);
    expect(upload.headers['x-bellwether-side']).toBe(side);
    const status = await stack.status();
    expect(status.breakers.filter((b: { state: string }) => b.state !== 'closed')).toEqual([]);
    expect(metric(await stack.metrics(), 'bellwether_upstream_attempts_total', { result: 'connect_error' })).toBe(0);
    const next = await stack.client().chat.completions.create(chat('gpt-4o')).withResponse();
    expect(next.response.headers.get('x-bellwether-side')).toBe(side);
    await stack.close();
  }
});

it('without a relay key at boot serves from official without counting relay failures, and uses the relay once the key appears', async () => {
  const keyDir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'bellwether-key-'));
  const keyFile = join(keyDir, 'relay-key');
  expect(existsSync(keyFile)).toBe(false);
  stack = await startStack({ ...fast, canary: { weight: 100 } }, { relayKey: { file: keyFile } });
  const client = stack.client();
  for (let i = 0; i < 5; i++) {
    const res = await client.chat.completions.create(chat('gpt-4o')).withResponse();
    expect(res.response.status).toBe(200);
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
  }
  expect(stack.relay.requests).toHaveLength(0);
  const before = await stack.status();
  expect(before.window.sides.relay.requests).toBe(0);
  expect(before.rollback).toBeNull();

  writeFileSync(keyFile, `${RELAY_KEY}\n`);
  await eventually(async () => (await client.chat.completions.create(chat('gpt-4o')).withResponse()).response.headers.get('x-bellwether-side') === 'relay', 5000);
  expect(stack.relay.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
  (await import('node:fs')).rmSync(keyDir, { recursive: true, force: true });
});

it('passes the official API\'s own error event on as an error, never as an empty 200', async () => {
  stack = await startStack({ ...fast, canary: { weight: 0 } });
  stack.official.setDefault({ kind: 'sse', errorAfter: 0 });
  const s = await stack.client().chat.completions.create({ ...chat('gpt-4o'), stream: true });
  let error: unknown;
  try {
    for await (const _ of s) void _;
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(OpenAI.APIError);
});

it('lets an official stream think longer than idle before its first bytes: firstByte applies there, not idle', async () => {
  stack = await startStack({ ...fast, canary: { weight: 0 }, timeouts: { connect: '1s', firstByte: '3s', idle: '300ms', total: '10s' } });
  stack.official.setDefault({ kind: 'sse', firstChunkDelayMs: 800 });
  const s = await stack.client().chat.completions.create({ ...chat('gpt-4o'), stream: true });
  let n = 0;
  for await (const _ of s) n++;
  expect(n).toBeGreaterThan(1);
});
