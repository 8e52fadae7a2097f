/**
 * The response cache on a real Redis (Debian's redis-server, `make redis`),
 * shared by two sidecars, and what happens when that Redis dies, stalls or
 * never answers: a miss, the request served by its upstream, no error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APP_KEY, eventually, metric, startStack, type Stack } from './harness.js';
import { startRedis, startSilentServer, type RedisServer } from '../fakes/redis-server.js';

let stacks: Stack[] = [];
let redis: RedisServer | undefined;
let silent: { close(): Promise<void> } | undefined;
afterEach(async () => {
  redis?.resume();
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
  await redis?.close();
  await silent?.close();
  redis = undefined;
  silent = undefined;
});

const chat = (content = 'hello', extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content }], ...extra });

async function post(s: Stack, body: unknown): Promise<{ status: number; cache: string | null; side: string | null; text: string }> {
  const res = await fetch(`${s.sidecar.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, cache: res.headers.get('x-bellwether-cache'), side: res.headers.get('x-bellwether-side'), text: await res.text() };
}

/** A generous timeout where a test expects hits (the machine may be busy); the stall test uses a short one. */
async function sidecarOn(url: string, timeout = '1s', password?: string): Promise<Stack> {
  const s = await startStack({ canary: { weight: 0 }, cache: { backend: 'redis', redis: { url, timeout } } }, password ? { redisPassword: { value: password } } : {});
  stacks.push(s);
  return s;
}

const ready = (s: Stack) => eventually(async () => (await s.status()).cache.state === 'ready');

/** The entry is written after the reply reached the app, fire-and-forget: wait until Redis has it. */
const stored = (s: Stack) => eventually(async () => (await s.status()).cache.stores > 0 && true);

describe('Redis backend', () => {
  it('is shared by two sidecars of the route: JSON and streams', async () => {
    redis = await startRedis();
    const a = await sidecarOn(redis.url);
    const b = await sidecarOn(redis.url);
    await Promise.all([ready(a), ready(b)]);

    expect((await post(a, chat())).cache).toBe('miss');
    const streamed = await post(a, chat('s', { stream: true }));
    expect(streamed.cache).toBe('miss');
    await eventually(async () => (await a.status()).cache.stores === 2);

    const json = await b.client().chat.completions.create(chat()).withResponse();
    expect(json.response.headers.get('x-bellwether-cache')).toBe('hit');
    expect(json.response.headers.get('x-bellwether-side')).toBe('cache');
    expect(json.data.choices[0]?.message.content).toContain('[official:gpt-4.1]');
    const stream = await post(b, chat('s', { stream: true }));
    expect(stream.cache).toBe('hit');
    expect(stream.text).toBe(streamed.text);
    expect(b.official.requests).toHaveLength(0);
    expect(metric(await b.metrics(), 'bellwether_cache_lookups_total', { result: 'hit', backend: 'redis' })).toBe(2);
    const st = await b.status();
    expect(st.cache).toMatchObject({ backend: 'redis', state: 'ready', hits: 2, entries: null, bytes: null });
  });

  it('a Redis that dies is a miss at once, and the cache comes back when Redis does', async () => {
    redis = await startRedis();
    const s = await sidecarOn(redis.url);
    await ready(s);
    await post(s, chat());
    await stored(s);
    expect((await post(s, chat())).cache).toBe('hit');

    await redis.kill();
    await eventually(async () => (await s.status()).cache.state === 'down');
    const miss = await post(s, chat());
    expect(miss).toMatchObject({ status: 200, cache: 'miss', side: 'official' });
    expect(metric(await s.metrics(), 'bellwether_cache_lookups_total', { result: 'error', backend: 'redis' })).toBe(1);
    expect(s.official.requests).toHaveLength(2);

    await redis.restart(); // empty: persistence is off, as in the tests' Redis
    await ready(s);
    expect((await post(s, chat())).cache).toBe('miss');
    await eventually(async () => (await s.status()).cache.stores === 2);
    expect((await post(s, chat())).cache).toBe('hit');
  });

  it('a Redis that stalls mid-test is a miss after redis.timeout, not a stall; the request is served', async () => {
    redis = await startRedis();
    const s = await sidecarOn(redis.url, '50ms');
    await ready(s);

    redis.pause(); // SIGSTOP: the connection stays open, nothing answers
    // The requests complete while Redis is still stopped: the lookup gave up on its own.
    for (let i = 0; i < 3; i++) expect(await post(s, chat())).toMatchObject({ status: 200, cache: 'miss', side: 'official' });
    expect(metric(await s.metrics(), 'bellwether_cache_lookups_total', { result: 'error', backend: 'redis' })).toBe(3);
    expect(s.official.requests).toHaveLength(3);
    redis.resume();
  });

  it('an address that accepts connections and never answers is a miss, never an error', async () => {
    const server = await startSilentServer();
    silent = server;
    const s = await sidecarOn(server.url);
    const c = s.client();
    const res = await c.chat.completions.create(chat()).withResponse();
    expect(res.response.headers.get('x-bellwether-cache')).toBe('miss');
    const stream = await c.chat.completions.create({ ...chat('s'), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('[official:gpt-4.1]');
    const st = await s.status();
    expect(st.cache.state).toBe('connecting');
    expect(st.cache.errors).toBe(2);
    expect(st.cache.droppedWrites).toBe(2);
  });

  it('authenticates with the password from --redis-password-file; without it, every lookup is a miss', async () => {
    redis = await startRedis({ password: 'fake-redis-password' });
    const withPassword = await sidecarOn(redis.url, '1s', 'fake-redis-password');
    const without = await sidecarOn(redis.url);
    await ready(withPassword);
    await post(withPassword, chat());
    await stored(withPassword);
    expect((await post(withPassword, chat())).cache).toBe('hit');
    expect(await post(without, chat())).toMatchObject({ status: 200, cache: 'miss' });
    expect((await without.status()).cache.state).not.toBe('ready');
    expect(JSON.stringify(await withPassword.status())).not.toContain('fake-redis-password');
    expect(withPassword.logs.join('')).not.toContain('fake-redis-password');
  });
});
