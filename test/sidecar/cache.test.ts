/**
 * The response cache (spec.cache, memory backend) end to end: the official
 * `openai` SDK (and raw fetch, to compare SSE bytes) → sidecar → fake
 * upstreams, on real loopback sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../sidecar/clock.js';
import { APP_KEY, eventually, metric, startStack, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const chat = (content = 'hello', extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o',
  messages: [{ role: 'user' as const, content }],
  ...extra,
});

/** A raw POST, so the SSE bytes the app receives can be compared exactly. */
async function post(s: Stack, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${s.sidecar.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const calls = (s: Stack) => s.official.requests.length + s.relay.requests.length;

describe('JSON hits', () => {
  it('answers the second identical request from the cache, at no cost, with its savings counted', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    const first = await stack.client().chat.completions.create(chat()).withResponse();
    expect(first.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect(first.response.headers.get('x-bellwether-side')).toBe('official');

    // Key order, `user` and `stream_options` do not change the key.
    const second = await stack.client().chat.completions.create({ messages: [{ role: 'user', content: 'hello' }], model: 'gpt-4o', user: 'u-42' }).withResponse();
    expect(second.response.headers.get('x-bellwether-cache')).toBe('hit');
    expect(second.response.headers.get('x-bellwether-side')).toBe('cache');
    expect(second.response.headers.get('x-bellwether-model')).toBe('gpt-4.1');
    expect(second.response.headers.get('x-bellwether-cache-origin')).toBe('official');
    expect(second.response.headers.get('age')).toBe('0');
    expect(second.data).toEqual(first.data);
    expect(stack.official.requests).toHaveLength(1);

    const m = await stack.metrics();
    expect(metric(m, 'bellwether_cache_lookups_total', { result: 'hit', backend: 'memory' })).toBe(1);
    expect(metric(m, 'bellwether_cache_lookups_total', { result: 'miss', backend: 'memory' })).toBe(1);
    // Results not seen yet are series at 0 (an error rate exists before the first error).
    expect(m).toMatch(/^bellwether_cache_lookups_total\{result="error",backend="memory"\} 0$/m);
    expect(metric(m, 'bellwether_requests_total', { side: 'cache', status_class: '2xx' })).toBe(1);
    // gpt-4.1 at 8/32 USD per 1M tokens, 10 prompt + 5 completion tokens
    expect(metric(m, 'bellwether_cache_savings_usd_total', { model: 'gpt-4.1' })).toBeCloseTo((10 * 8 + 5 * 32) / 1e6, 12);
    expect(metric(m, 'bellwether_cost_usd_total', { side: 'official' })).toBeCloseTo((10 * 8 + 5 * 32) / 1e6, 12);
    expect(metric(m, 'bellwether_cache_entries', { backend: 'memory' })).toBe(1);

    const st = await stack.status();
    expect(st.cache).toMatchObject({ backend: 'memory', state: 'ready', hits: 1, misses: 1, bypasses: 0, errors: 0, stores: 1, entries: 1 });
    expect(st.cache.bytes).toBeGreaterThan(0);
    // A hit feeds no window: the rollback sees upstream traffic only.
    expect(st.window.sides.official.requests).toBe(1);
  });

  it('does not cache a different prompt, model or temperature', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    const c = stack.client();
    await c.chat.completions.create(chat());
    await c.chat.completions.create(chat('hello!'));
    await c.chat.completions.create({ ...chat(), model: 'gpt-4.1-mini' });
    await c.chat.completions.create(chat('hello', { temperature: 0.3 }));
    expect(stack.official.requests).toHaveLength(4);
  });

  it('lets a reload that drops spec.cache turn it off, and its size series go with it', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    await stack.client().chat.completions.create(chat());
    expect(metric(await stack.metrics(), 'bellwether_cache_entries', { backend: 'memory' })).toBe(1);
    stack.writeRoute({ canary: { weight: 0 } });
    await eventually(async () => (await stack.status()).cache === null);
    const res = await stack.client().chat.completions.create(chat()).withResponse();
    expect(res.response.headers.get('x-bellwether-cache')).toBeNull();
    expect(stack.official.requests).toHaveLength(2);
    // Not a last size reported forever by a cache that is gone.
    expect(await stack.metrics()).not.toMatch(/^bellwether_cache_(entries|bytes)\{/m);
  });
});

describe('streamed hits', () => {
  it('replays a stream with the framing the app got on the miss', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    const miss = await post(stack, chat('stream me', { stream: true }));
    const hit = await post(stack, chat('stream me', { stream: true }));
    expect(miss.headers.get('x-bellwether-cache')).toBe('miss');
    expect(hit.headers.get('x-bellwether-cache')).toBe('hit');
    expect(hit.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(hit.text).toBe(miss.text);
    expect(hit.text).toMatch(/data: \[DONE\]\n\n$/);
    expect(hit.text).not.toContain('"usage":{'); // the usage chunk the sidecar asked for stays stripped
    expect(stack.official.requests).toHaveLength(1);
  });

  it('includes the usage chunk when the app asks for it, through the SDK', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    const c = stack.client();
    const read = async (includeUsage: boolean) => {
      const stream = await c.chat.completions.create({ ...chat('sdk'), stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const fresh = await read(false);
    const cachedWithUsage = await read(true);
    const cachedPlain = await read(false);
    expect(stack.official.requests).toHaveLength(1);
    expect(cachedWithUsage.at(-1)?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
    expect(cachedPlain).toEqual(fresh);
    expect(cachedPlain.map((ch) => ch.choices[0]?.delta?.content ?? '').join('')).toContain('[official:gpt-4.1]');
  });

  it('never answers a JSON request with a stored stream, nor a stream request with a stored JSON body', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    await post(stack, chat('x', { stream: true }));
    const json = await post(stack, chat('x'));
    expect(json.headers.get('x-bellwether-cache')).toBe('miss');
    expect(JSON.parse(json.text).object).toBe('chat.completion');
    await post(stack, chat('y'));
    const sse = await post(stack, chat('y', { stream: true }));
    expect(sse.headers.get('x-bellwether-cache')).toBe('miss');
    expect(stack.official.requests).toHaveLength(4);
    // both forms are now stored side by side
    expect((await post(stack, chat('x'))).headers.get('x-bellwether-cache')).toBe('hit');
    expect((await post(stack, chat('y', { stream: true }))).headers.get('x-bellwether-cache')).toBe('hit');
  });
});

describe('Cache-Control from the app', () => {
  it('no-cache: not read, but the fresh reply is stored', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    await post(stack, chat());
    const fresh = await post(stack, chat(), { 'cache-control': 'no-cache' });
    expect(fresh.headers.get('x-bellwether-cache')).toBe('bypass');
    expect(stack.official.requests).toHaveLength(2);
    expect((await post(stack, chat('other'), { 'cache-control': 'no-cache' })).headers.get('x-bellwether-cache')).toBe('bypass');
    expect((await post(stack, chat('other'))).headers.get('x-bellwether-cache')).toBe('hit');
    expect(stack.official.requests).toHaveLength(3);
  });

  it('no-store: neither read nor stored', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    await post(stack, chat());
    expect((await post(stack, chat(), { 'cache-control': 'no-store' })).headers.get('x-bellwether-cache')).toBe('bypass');
    await post(stack, chat('private'), { 'cache-control': 'no-store' });
    expect((await post(stack, chat('private'))).headers.get('x-bellwether-cache')).toBe('miss');
    expect(stack.official.requests).toHaveLength(4);
    expect(metric(await stack.metrics(), 'bellwether_cache_lookups_total', { result: 'bypass' })).toBe(2);
  });
});

describe('what is never shared', () => {
  it('two app keys never share an answer when the official side forwards the app key', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    await stack.client({ apiKey: 'fake-tenant-a' }).chat.completions.create(chat());
    const b = await stack.client({ apiKey: 'fake-tenant-b' }).chat.completions.create(chat()).withResponse();
    expect(b.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect(stack.official.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer fake-tenant-a', 'Bearer fake-tenant-b']);
    const a = await stack.client({ apiKey: 'fake-tenant-a' }).chat.completions.create(chat()).withResponse();
    expect(a.response.headers.get('x-bellwether-cache')).toBe('hit');
    // keys never appear in /status
    expect(JSON.stringify(await stack.status())).not.toContain('fake-tenant');
  });

  it('a relay answer never reaches a request picked for the official API, even for the same model name', async () => {
    // The relay resells the very model the app asks for: the side alone tells the answers apart.
    const sameName = { models: [{ match: ['*'], chain: ['gpt-4o'] }] };
    stack = await startStack({ ...sameName, canary: { weight: 100 }, cache: {} });
    const relayed = await stack.client().chat.completions.create(chat()).withResponse();
    expect(relayed.response.headers.get('x-bellwether-side')).toBe('relay');
    const cached = await stack.client().chat.completions.create(chat()).withResponse();
    expect(cached.response.headers.get('x-bellwether-cache-origin')).toBe('relay');

    stack.writeRoute({ ...sameName, canary: { weight: 0 }, cache: {} });
    await eventually(async () => (await stack.status()).weight.effective === 0);
    const official = await stack.client().chat.completions.create(chat()).withResponse();
    expect(official.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect(official.response.headers.get('x-bellwether-side')).toBe('official');
    expect(official.data.choices[0]?.message.content).toContain('[official:gpt-4o]');
    expect(stack.official.requests).toHaveLength(1);
  });

  it('never serves another model\'s answer: a fallback model\'s reply is stored under that model', async () => {
    stack = await startStack({ canary: { weight: 100 }, retry: { attempts: 0 }, cache: {} });
    stack.relay.enqueue({ kind: 'status', status: 503 }); // deepseek-chat fails once, kimi-k2 serves
    const fallback = await stack.client().chat.completions.create(chat()).withResponse();
    expect(fallback.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    const next = await stack.client().chat.completions.create(chat()).withResponse();
    expect(next.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect(next.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect((await stack.client().chat.completions.create(chat()).withResponse()).response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'kimi-k2', 'deepseek-chat']);
  });
});

describe('only complete successful replies are stored', () => {
  it('not a 500 passed on', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    stack.official.enqueue({ kind: 'status', status: 500 });
    await expect(stack.client().chat.completions.create(chat())).rejects.toMatchObject({ status: 500 });
    const ok = await stack.client().chat.completions.create(chat()).withResponse();
    expect(ok.response.headers.get('x-bellwether-cache')).toBe('miss');
    expect((await stack.client().chat.completions.create(chat()).withResponse()).response.headers.get('x-bellwether-cache')).toBe('hit');
  });

  it('not a stream cut mid-way, nor one that ends without its terminal event', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    stack.official.enqueue({ kind: 'sse', cutAfter: 2 }, { kind: 'sse', endAfter: 3 });
    const cut = await post(stack, chat('s', { stream: true }));
    expect(cut.text).toContain('upstream_stream_interrupted');
    const truncated = await post(stack, chat('s', { stream: true }));
    expect(truncated.text).toContain('upstream_stream_interrupted');
    const whole = await post(stack, chat('s', { stream: true }));
    expect(whole.headers.get('x-bellwether-cache')).toBe('miss');
    expect(whole.text).not.toContain('error');
    const hit = await post(stack, chat('s', { stream: true }));
    expect(hit.headers.get('x-bellwether-cache')).toBe('hit');
    expect(hit.text).toBe(whole.text);
    expect(stack.official.requests).toHaveLength(3);
  });
});

describe('bounds and policy', () => {
  it('keeps at most maxEntries, least recently used out first', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: { maxEntries: 2 } });
    for (const p of ['a', 'b', 'a', 'c']) await post(stack, chat(p)); // a is used again before c evicts b
    expect((await stack.status()).cache.entries).toBe(2);
    expect((await post(stack, chat('a'))).headers.get('x-bellwether-cache')).toBe('hit');
    expect((await post(stack, chat('b'))).headers.get('x-bellwether-cache')).toBe('miss');
  });

  it('does not store a reply over maxEntryBytes', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: { maxEntryBytes: 200 } });
    await post(stack, chat());
    expect((await post(stack, chat())).headers.get('x-bellwether-cache')).toBe('miss');
    expect((await stack.status()).cache.entries).toBe(0);
  });

  it('with maxTemperature 0, bypasses sampled requests', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: { maxTemperature: 0 } });
    expect((await post(stack, chat('t', { temperature: 0.7 }))).headers.get('x-bellwether-cache')).toBe('bypass');
    expect((await post(stack, chat('t'))).headers.get('x-bellwether-cache')).toBe('bypass'); // no temperature: 1
    await post(stack, chat('t', { temperature: 0 }));
    expect((await post(stack, chat('t', { temperature: 0 }))).headers.get('x-bellwether-cache')).toBe('hit');
  });

  it('bypasses stateful requests (a stored Responses call)', async () => {
    stack = await startStack({ canary: { weight: 0 }, cache: {} });
    const res = await stack.client().responses.create({ model: 'gpt-4o', input: 'hi' }).withResponse();
    expect(res.response.headers.get('x-bellwether-cache')).toBe('bypass');
    const stateless = await stack.client().responses.create({ model: 'gpt-4o', input: 'hi', store: false }).withResponse();
    expect(stateless.response.headers.get('x-bellwether-cache')).toBe('miss');
    const again = await stack.client().responses.create({ model: 'gpt-4o', input: 'hi', store: false }).withResponse();
    expect(again.response.headers.get('x-bellwether-cache')).toBe('hit');
    expect(again.data.output_text).toBe(stateless.data.output_text);
  });

  it('expires entries after ttl, and honours max-age from the app (on the sidecar clock)', async () => {
    const clock = new ManualClock();
    stack = await startStack({ canary: { weight: 0 }, cache: { ttl: '10m' } }, { clock });
    await post(stack, chat());
    clock.advance(120_000);
    const aged = await post(stack, chat());
    expect(aged.headers.get('x-bellwether-cache')).toBe('hit');
    expect(aged.headers.get('age')).toBe('120');
    expect((await post(stack, chat(), { 'cache-control': 'max-age=60' })).headers.get('x-bellwether-cache')).toBe('miss');
    clock.advance(600_000); // the max-age miss above stored a fresh entry at 120 s; it expires at 720 s
    expect((await post(stack, chat())).headers.get('x-bellwether-cache')).toBe('miss');
    expect(calls(stack)).toBe(3);
  });
});
