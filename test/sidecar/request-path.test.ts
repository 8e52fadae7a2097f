/**
 * The request path end to end: the official `openai` SDK → sidecar → fake
 * official API / fake relay, all on real loopback sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { APP_KEY, OFFICIAL_KEY, RELAY_KEY, eventually, metric, startStack, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const chat = (model = 'gpt-4o', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user' as const, content: 'hello' }],
  ...extra,
});
const chatStream = (model = 'gpt-4o', extra: Record<string, unknown> = {}) => ({ ...chat(model, extra), stream: true as const });

describe('side and model', () => {
  it('sends relay-picked requests to the first chain model with the relay key, and never the app key', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const res = await stack.client().chat.completions.create(chat('gpt-4o')).withResponse();
    expect(res.data.choices[0]?.message.content).toContain('[relay:deepseek-chat]');
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    expect(Number(res.response.headers.get('x-bellwether-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const seen = stack.relay.requests[0]!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.body.model).toBe('deepseek-chat');
    expect(seen.body.messages).toEqual([{ role: 'user', content: 'hello' }]);
    expect(seen.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain(APP_KEY);
    expect(stack.official.requests).toHaveLength(0);
  });

  it('sends official-picked requests with the app key and the official rename, and never the relay key', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    const client = stack.client({ headers: { 'OpenAI-Organization': 'org-shop' } });
    const res = await client.chat.completions.create(chat('gpt-4o')).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    expect(res.response.headers.get('x-bellwether-model')).toBe('gpt-4.1');
    const seen = stack.official.requests[0]!;
    expect(seen.body.model).toBe('gpt-4.1');
    expect(seen.headers['authorization']).toBe(`Bearer ${APP_KEY}`);
    expect(seen.headers['openai-organization']).toBe('org-shop');
    expect(JSON.stringify(seen.headers)).not.toContain(RELAY_KEY);
    expect(stack.relay.requests).toHaveLength(0);
  });

  it('uses the official key instead of the app key when spec.official.apiKeySecretRef is set', async () => {
    stack = await startStack(
      (official) => ({ canary: { weight: 0 }, official: { baseURL: official.url, apiKeySecretRef: { name: 'openai', key: 'apiKey' } } }),
      { officialKey: { value: OFFICIAL_KEY } },
    );
    await stack.client().chat.completions.create(chat('gpt-4o'));
    const seen = stack.official.requests[0]!;
    expect(seen.headers['authorization']).toBe(`Bearer ${OFFICIAL_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain(APP_KEY);
  });

  it('does not send the app identity headers to the relay', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const client = stack.client({ headers: { 'OpenAI-Organization': 'org-shop', 'OpenAI-Project': 'proj-1', 'x-request-id': 'abc' } });
    await client.chat.completions.create(chat('gpt-4o'));
    const h = stack.relay.requests[0]!.headers;
    expect(h['openai-organization']).toBeUndefined();
    expect(h['openai-project']).toBeUndefined();
    expect(h['x-request-id']).toBe('abc');
  });

  it('matches the first rule by glob: gpt-4* to deepseek-chat, anything else to kimi-k2', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    await stack.client().chat.completions.create(chat('gpt-4.1-mini'));
    await stack.client().chat.completions.create(chat('o3-mini'));
    expect(stack.relay.requests.map((r) => r.body.model)).toEqual(['deepseek-chat', 'kimi-k2']);
  });

  it('splits by weight within statistical bounds', async () => {
    stack = await startStack({ canary: { weight: 25 } });
    const client = stack.client();
    const n = 400;
    let relay = 0;
    for (let i = 0; i < n; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => client.chat.completions.create(chat('gpt-4o')).withResponse()),
      );
      relay += batch.filter((r) => r.response.headers.get('x-bellwether-side') === 'relay').length;
    }
    // Binomial(400, 0.25): mean 100, sigma ≈ 8.7; 4 sigma either side.
    expect(relay).toBeGreaterThan(100 - 35);
    expect(relay).toBeLessThan(100 + 35);
    expect(stack.relay.requests.length + stack.official.requests.length).toBe(n);
  });

  it('keeps a sticky key on one side', async () => {
    stack = await startStack({ canary: { weight: 50, stickyBy: 'header:x-user-id' } });
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      const client = stack.client({ headers: { 'x-user-id': user } });
      const sides = new Set<string | null>();
      for (let i = 0; i < 8; i++) {
        const r = await client.chat.completions.create(chat('gpt-4o')).withResponse();
        sides.add(r.response.headers.get('x-bellwether-side'));
      }
      expect(sides.size).toBe(1);
    }
  });
});

describe('streaming', () => {
  it('forwards every event of a stream that arrives in one TCP chunk, the first event with its followers', async () => {
    const http = await import('node:http');
    const frames = ['role', 'Hel', 'lo', ' there'].map((c, i) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'deepseek-chat', choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: '' } : { content: c }, finish_reason: null }] })}\n\n`);
    const whole = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frames.join('') + 'data: [DONE]\n\n'); // one write: the sidecar reads it as one chunk
    });
    await new Promise<void>((r) => whole.listen(0, '127.0.0.1', r));
    try {
      const port = (whole.address() as { port: number }).port;
      stack = await startStack((official) => ({ canary: { weight: 100 }, official: { baseURL: official.url }, relay: { baseURL: `http://127.0.0.1:${port}/v1`, apiKeySecretRef: { name: 'k', key: 'k' } } }));
      const s = await stack.client().chat.completions.create(chatStream());
      let text = '';
      for await (const chunk of s) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe('Hello there');
      expect(metric(await stack.metrics(), 'bellwether_stream_errors_total')).toBe(0);
    } finally {
      whole.close();
    }
  });

  it('delivers each chunk to the app before the upstream sends the next one', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    stack.relay.setDefault({ kind: 'sse', chunks: 3, gated: true });
    // The sidecar answers the app only once the first event has arrived (until then it can still fall back).
    stack.relay.release(1); // role chunk
    const stream = await stack.client().chat.completions.create(chatStream('gpt-4o'));
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value.choices[0].delta.role).toBe('assistant');
    const req = stack.relay.requests[0]!;
    expect(req.chunksSent).toBe(1); // the upstream is still holding chunk 2
    stack.relay.release(1);
    const second = await it.next();
    expect(second.value.choices[0].delta.content).toBeTruthy();
    expect(req.chunksSent).toBe(2);
    stack.relay.release(100);
    const rest: unknown[] = [];
    for (let n = await it.next(); !n.done; n = await it.next()) rest.push(n.value);
    expect(rest.length).toBeGreaterThan(0);
  });

  it('asks the upstream for usage and strips the usage chunk the app did not ask for', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const stream = await stack.client().chat.completions.create(chatStream('gpt-4o'));
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(stack.relay.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_tokens_total', { side: 'relay', model: 'deepseek-chat', kind: 'input' })).toBe(10);
  });

  it('keeps the usage chunk when the app asked for it', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const stream = await stack.client().chat.completions.create(
      chatStream('gpt-4o', { stream_options: { include_usage: true } }),
    );
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5 });
  });

  it('aborts the upstream request when the app goes away', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    stack.relay.setDefault({ kind: 'sse', chunks: 50, gated: true });
    const ac = new AbortController();
    stack.relay.release(1);
    const stream = await stack.client().chat.completions.create(chatStream('gpt-4o'), { signal: ac.signal });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    ac.abort();
    const req = stack.relay.requests[0]!;
    await req.closed;
    expect(req.aborted).toBe(true);
    expect(req.chunksSent).toBeLessThan(50);
  });
});

describe('tokens, cost and savings', () => {
  it('counts exact tokens, cost and savings against the official price', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    stack.relay.setDefault({ kind: 'json', usage: { prompt: 1_000_000, completion: 500_000, cached: 200_000 } });
    await stack.client().chat.completions.create(chat('gpt-4o'));
    const m = await stack.metrics();
    // deepseek-chat: 800k × 0.21 + 200k × 0.021 + 500k × 0.42 per 1M = 0.168 + 0.0042 + 0.21
    const cost = 0.3822;
    // gpt-4.1 for the same tokens: 1M × 8 + 500k × 32 per 1M = 8 + 16
    expect(metric(m, 'bellwether_cost_usd_total', { side: 'relay', model: 'deepseek-chat' })).toBeCloseTo(cost, 9);
    expect(metric(m, 'bellwether_savings_usd_total', { model: 'deepseek-chat' })).toBeCloseTo(24 - cost, 9);
    expect(metric(m, 'bellwether_tokens_total', { side: 'relay', kind: 'cached_input' })).toBe(200_000);
    expect(metric(m, 'bellwether_tokens_total', { side: 'relay', kind: 'output' })).toBe(500_000);
    const s = await stack.status();
    expect(s.totals.costUSD).toBeCloseTo(cost, 6);
    expect(s.totals.savingsUSD).toBeCloseTo(24 - cost, 6);
  });

  it('counts streamed usage from the final chunk, and official cost without savings', async () => {
    stack = await startStack({ canary: { weight: 0 } });
    stack.official.setDefault({ kind: 'sse', usage: { prompt: 100_000, completion: 10_000 } });
    const stream = await stack.client().chat.completions.create(chatStream('gpt-4o'));
    for await (const _ of stream) void _;
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_cost_usd_total', { side: 'official', model: 'gpt-4.1' })).toBeCloseTo(0.8 + 0.32, 9);
    expect(metric(m, 'bellwether_savings_usd_total')).toBe(0);
  });

  it('reads usage from embeddings and the Responses API', async () => {
    stack = await startStack({ canary: { weight: 100 }, models: [{ match: ['*'], chain: ['kimi-k2'] }] });
    await stack.client().embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
    // store: false — a stored response would stay on the official API (ADR 0006).
    await stack.client().responses.create({ model: 'gpt-4o', input: 'hi', store: false });
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_tokens_total', { side: 'relay', model: 'kimi-k2', kind: 'input' })).toBe(20);
    expect(stack.relay.requests.map((r) => r.path)).toEqual(['/v1/embeddings', '/v1/responses']);
  });
});

describe('large replies', () => {
  it('streams a JSON reply larger than the buffer cap through intact, and still counts its usage', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const content = 'x'.repeat(33 * 1024 * 1024); // over MAX_BUFFERED_REPLY (32 MiB)
    stack.relay.setDefault({ kind: 'json', content });
    const res = await stack.client({ timeout: 60_000 }).chat.completions.create(chat('gpt-4o')).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(res.data.choices[0]?.message.content?.length).toBe(content.length);
    // usage ends the body: still counted from the tail the sidecar keeps
    expect(metric(await stack.metrics(), 'bellwether_tokens_total', { side: 'relay', kind: 'input' })).toBe(10);
  });
});

describe('errors the sidecar makes', () => {
  it('answers a body over maxRequestBytes with 413 in the OpenAI shape', async () => {
    stack = await startStack({ limits: { maxRequestBytes: '1Ki' } });
    const err = await stack.client().chat.completions.create(chat('gpt-4o', { messages: [{ role: 'user', content: 'x'.repeat(4096) }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(413);
    expect(e.code).toBe('request_too_large');
    expect(e.headers?.get('x-bellwether-error')).toBe('request_too_large');
    expect(e.headers?.get('x-bellwether-side')).toBe('none');
    expect(stack.relay.requests.length + stack.official.requests.length).toBe(0);
  });

  it('answers bad JSON, a missing model and an unknown path in the OpenAI shape', async () => {
    stack = await startStack();
    const post = (path: string, body: string) =>
      fetch(stack.sidecar.baseURL.replace('/v1', '') + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    for (const [path, body, status, code] of [
      ['/v1/chat/completions', '{not json', 400, 'invalid_json'],
      ['/v1/chat/completions', '{"messages":[]}', 400, 'missing_model'],
      ['/health', '{}', 404, 'unknown_path'],
    ] as const) {
      const res = await post(path, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('x-bellwether-error')).toBe(code);
      const json = (await res.json()) as { error: Record<string, unknown> };
      expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(json.error['code']).toBe(code);
    }
  });

  it('passes other /v1 paths through to the chosen side with the right key', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const res = await stack.client().models.list().withResponse();
      expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
      expect(stack.relay.requests[0]!.path).toBe('/v1/models');
      expect(stack.relay.requests[0]!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    // The piped reply (relay: through the key scrubber) with the sidecar's debug access log on:
    // pipeline() adds seven 'close' listeners of its own, and an emitter warns past ten.
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});

describe('egress', () => {
  it('talks only to the route\'s upstreams: an absolute-form URL or a forged Host does not redirect it', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    const net = await import('node:net');
    const port = Number(new URL(stack.sidecar.baseURL).port);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
        let out = '';
        socket.on('data', (d) => (out += d.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
    const absolute = await raw('GET http://169.254.169.254/v1/models HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n');
    expect(absolute).toMatch(/^HTTP\/1.1 404/);
    expect(absolute).toContain('unknown_path');
    const forged = await raw('GET /v1/models HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    expect(forged).toMatch(/^HTTP\/1.1 200/);
    expect(stack.relay.requests).toHaveLength(1);
    expect(stack.relay.requests[0]!.headers['host']).toBe(new URL(stack.relay.url).host);
  });
});

describe('secrets', () => {
  /** What could give a key away: the whole key, a 12-character prefix of it, or OpenAI's masked form (first 4 characters, then `*`). */
  const leaks = (text: string, key: string): string[] =>
    [key, key.slice(0, 12), `${key.slice(0, 4)}*`].filter((needle) => text.includes(needle));

  it('never shows a key in logs, metrics or /status, nor the relay key to the app, whatever the upstreams echo', async () => {
    const fast = {
      retry: { attempts: 1, backoff: { base: '1ms', max: '5ms' } },
      circuitBreaker: { consecutiveFailures: 1000, cooldown: '30s' },
      timeouts: { connect: '300ms', firstByte: '300ms', idle: '300ms', total: '5s' },
    };
    stack = await startStack({ ...fast, canary: { weight: 100 } });
    const { relay, official } = stack;
    const appSaw: string[] = [];
    /** The raw reply the app gets: status line, every header, the body or stream as far as it went. */
    const ask = async (stream: boolean): Promise<void> => {
      const res = await fetch(`${stack.sidecar.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}` },
        body: JSON.stringify({ ...chat('gpt-4o'), ...(stream ? { stream: true } : {}) }),
      });
      const head = `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
      const body = await res.text().catch((e: unknown) => `<cut: ${String(e)}>`);
      appSaw.push(`${head}\n\n${body}`);
    };
    const relayKeyInBody = (status: number) => ({ kind: 'status', status, body: { error: { message: `bad key ${RELAY_KEY}`, type: 'invalid_request_error', param: null, code: null } } }) as const;

    // relay-picked: the relay echoes its key in every way it can
    const scenarios: Array<[string, () => void, boolean]> = [
      ['a header on a success', () => relay.enqueue({ kind: 'json', echoKey: 'header' }), false],
      ['a success body', () => relay.enqueue({ kind: 'json', echoKey: 'body' }), false],
      ['a mid-stream error event', () => relay.enqueue({ kind: 'sse', echoKey: 'error-event' }), true],
      ['a stream broken mid-way, key in a header', () => relay.enqueue({ kind: 'sse', chunks: 6, cutAfter: 3, echoKey: 'header' }), true],
      ['a masked 401 (relay failure, official serves)', () => relay.enqueue({ kind: 'json', echoKey: 'masked-body' }), false],
      ['an app error with the key in its body', () => relay.enqueue(relayKeyInBody(400)), false],
      ['retries and fallbacks through 503s echoing the key', () => relay.enqueue(
        { kind: 'status', status: 503, echoKey: 'body' }, { kind: 'status', status: 503, echoKey: 'header' }, // deepseek-chat, retried
        { kind: 'status', status: 429, retryAfterMs: 2, echoKey: 'body' }, { kind: 'json', echoKey: 'header' }, // kimi-k2, retried, served
      ), false],
      ['every relay model failing (summary), official serving', () => relay.enqueue(
        ...Array.from({ length: 6 }, () => ({ kind: 'status', status: 502, echoKey: 'body' }) as const),
      ), false],
      ['every upstream failing: the sidecar\'s own error with its summary', () => {
        relay.enqueue(...Array.from({ length: 6 }, () => ({ kind: 'reset' }) as const));
        official.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
      }, false],
      ['a first event that is an error echoing the key (fallback)', () => relay.enqueue({ kind: 'sse', errorAfter: 0, echoKey: 'header', errorBody: { error: { message: `denied for ${RELAY_KEY}`, type: 'server_error', param: null, code: null } } }), true],
    ];
    for (const [, arrange, stream] of scenarios) {
      arrange();
      await ask(stream);
    }
    for (const [i, text] of appSaw.entries()) {
      expect.soft(leaks(text, RELAY_KEY), `the app saw the relay key in "${scenarios[i]![0]}":\n${text.slice(0, 2000)}`).toEqual([]);
    }

    // official-picked: the official side echoes the app's own key (the app may see it; the logs may not)
    stack.writeRoute({ ...fast, canary: { weight: 0 } });
    await eventually(async () => (await stack.status()).generation === 2);
    official.enqueue({ kind: 'json', echoKey: 'header' }, { kind: 'status', status: 500, echoKey: 'body' }, { kind: 'json', echoKey: 'masked-body' });
    official.enqueue({ kind: 'sse', echoKey: 'error-event' }, { kind: 'sse', cutAfter: 2, echoKey: 'header' });
    for (const stream of [false, false, false, true, true]) await ask(stream);

    expect(stack.logs.join('')).toContain('"level":"debug"'); // debug lines were written, so there was something to leak
    const seen = { logs: stack.logs.join(''), metrics: await stack.metrics(), status: JSON.stringify(await stack.status()) };
    for (const [where, text] of Object.entries(seen)) {
      for (const key of [RELAY_KEY, APP_KEY]) expect(leaks(text, key).filter((l) => l !== `${key.slice(0, 4)}*`), `${where} shows ${key}`).toEqual([]);
    }
  });

  it('scrubs the relay key from a relay error body returned to the app', async () => {
    stack = await startStack({ canary: { weight: 100 } });
    stack.relay.enqueue({ kind: 'status', status: 400, body: { error: { message: `bad request for ${RELAY_KEY}`, type: 'invalid_request_error', param: null, code: null } } });
    const err = (await stack.client().chat.completions.create(chat('gpt-4o')).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect(err.message).not.toContain(RELAY_KEY);
    expect(err.message).toContain('[redacted]');
  });
});
