/**
 * A hostile relay: cheap OpenAI-compatible relays ping while they queue, send
 * CDN error pages with a 200, gzip whatever they are asked, end lines with
 * CR, echo the key they were given, and answer with statuses no OpenAI client
 * expects. And hostile apps: odd paths, deep JSON, odd model strings, huge
 * bodies, slow readers. Each test names the behaviour the sidecar must have.
 */
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_KEY, RELAY_KEY, eventually, metric, startStack, type Spec, type Stack } from './harness.js';
import { slowRead } from '../fakes/slow-client.js';

let stack: Stack | undefined;
afterEach(async () => {
  const s = stack;
  stack = undefined;
  if (!s) return;
  // Bounded: a sidecar handler that hangs must fail its test, not the whole file.
  await Promise.race([s.close(), sleep(5_000)]);
  await Promise.all([s.relay.close(), s.official.close()]);
});

type APIError = InstanceType<typeof OpenAI.APIError>;
const fast: Spec = {
  canary: { weight: 100 },
  retry: { attempts: 0, backoff: { base: '1ms', max: '20ms' } },
  circuitBreaker: { consecutiveFailures: 100, cooldown: '30s' },
  timeouts: { connect: '500ms', firstByte: '2s', idle: '2s', total: '10s' },
};
const messages = [{ role: 'user' as const, content: 'hello' }];
const chat = { model: 'gpt-4o', messages };
const stream = { ...chat, stream: true as const };
const start = async (spec: Spec = {}): Promise<Stack> => (stack = await startStack({ ...fast, ...spec }));

async function collect<T>(s: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  try {
    for await (const x of s) items.push(x);
    return { items };
  } catch (error) {
    return { items, error };
  }
}
const text = (chunks: Array<{ choices: Array<{ delta: { content?: string | null } }> }>): string =>
  chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

/** One raw HTTP/1.1 exchange on its own socket: the path goes out exactly as written. */
function rawRequest(port: number, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let out = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0), text: out }));
    socket.on('error', reject);
  });
}

describe('a relay that misbehaves before its first event', () => {
  it('pings then dies: comment pings are not a first event, so the sidecar falls back to the next model', async () => {
    const s = await start();
    s.relay.onModel('deepseek-chat', { kind: 'sse', pingsBefore: 2, cutAfter: 0 });
    const res = await s.client().chat.completions.create(stream).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    const { items, error } = await collect(res.data);
    expect(error).toBeUndefined();
    expect(text(items)).toBe('[relay:kimi-k2] hello');
    expect(metric(await s.metrics(), 'bellwether_stream_errors_total')).toBe(0);
  });

  it('a 200 text/html CDN page is malformed, not a reply: falls back, and the relay still served', async () => {
    const s = await start();
    s.relay.onModel('deepseek-chat', { kind: 'json', contentType: 'text/html', rawBody: '<!DOCTYPE html><html><body><h1>520: Web server is returning an unknown error</h1></body></html>' });
    const res = await s.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    expect(res.data.choices[0]?.message.content).toBe('[relay:kimi-k2] hello');
    expect(metric(await s.metrics(), 'bellwether_upstream_attempts_total', { side: 'relay', model: 'deepseek-chat', result: 'malformed' })).toBe(1);
    expect((await s.status()).window.sides.relay).toMatchObject({ requests: 1, failures: 0 });
  });

  it('relay 404 model_not_found for one chain model falls back to the next one', async () => {
    const s = await start();
    s.relay.onModel('deepseek-chat', { kind: 'status', status: 404 }); // OpenAI's model_not_found body
    const res = await s.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    expect(res.data.choices[0]?.message.content).toBe('[relay:kimi-k2] hello');
  });

  it('relay 402 (out of credit) skips the rest of the relay and goes to official, as a relay failure', async () => {
    const s = await start();
    s.relay.setDefault({ kind: 'status', status: 402, body: { error: { message: 'Insufficient credit: top up your account.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } } });
    const res = await s.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    expect(res.data.choices[0]?.message.content).toBe('[official:gpt-4.1] hello');
    expect(s.relay.requests).toHaveLength(1); // not once per chain model: the account is empty for all of them
    expect((await s.status()).window.sides.relay).toMatchObject({ requests: 1, failures: 1 });
  });

  for (const status of [520, 522, 524]) {
    it(`relay ${status} (a CDN's origin error, not in retry.retryOn) falls back to the next model instead of being passed on`, async () => {
      const s = await start({ retry: { attempts: 0, backoff: { base: '1ms', max: '20ms' }, retryOn: [429, 503] } });
      s.relay.onModel('deepseek-chat', { kind: 'status', status, contentType: 'text/html', rawBody: `<html><body>Error ${status}</body></html>` });
      const res = await s.client().chat.completions.create(chat).withResponse();
      expect(res.response.status).toBe(200);
      expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    });
  }

  it('an event over the 8 MiB event cap is never buffered whole: the stream ends with an error event, and the admin port stays responsive meanwhile', async () => {
    const s = await start();
    // The role chunk commits the stream; the next event grows past the cap.
    s.relay.onModel('deepseek-chat', { kind: 'sse', hugeEventBytes: 9 * 1024 * 1024 });
    const pending = s.client({ timeout: 30_000 }).chat.completions.create(stream).withResponse();
    await s.relay.waitForRequests(1);
    const health = await fetch(`${s.sidecar.adminURL}/healthz`, { signal: AbortSignal.timeout(3_000) });
    expect(health.status).toBe(200);
    const res = await pending;
    expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
    const { error } = await collect(res.data);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('(event_too_large)');
    expect(metric(await s.metrics(), 'bellwether_stream_errors_total', { side: 'relay', reason: 'event_too_large' })).toBe(1);
    // The relay was let go at once: the sidecar did not read the rest of the event.
    await s.relay.requests[0]!.closed;
    expect(s.relay.requests[0]!.aborted).toBe(true);
  });
});

describe('a relay whose replies are fine but unusual', () => {
  for (const ending of ['cr', 'crlf'] as const) {
    it(`a stream with ${ending === 'cr' ? 'bare CR' : 'CRLF'} line endings reaches the app complete, as with LF`, async () => {
      const s = await start();
      s.relay.setDefault({ kind: 'sse', lineEnding: ending, chunks: 4 });
      const res = await s.client().chat.completions.create(stream).withResponse();
      expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
      expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
      const { items, error } = await collect(res.data);
      expect(error).toBeUndefined();
      expect(text(items)).toBe('[relay:deepseek-chat] hello');
      expect(items.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      expect(metric(await s.metrics(), 'bellwether_stream_errors_total')).toBe(0);
    });
  }

  it('a stream whose `data: [DONE]` lacks its blank line completes without an error event', async () => {
    const s = await start();
    s.relay.setDefault({ kind: 'sse', doneWithoutBlankLine: true });
    const { items, error } = await collect(await s.client().chat.completions.create(stream));
    expect(error).toBeUndefined();
    expect(text(items)).toBe('[relay:deepseek-chat] hello');
    expect(metric(await s.metrics(), 'bellwether_stream_errors_total')).toBe(0);
  });

  it('gzip the sidecar did not ask for is decoded: JSON and SSE served and counted, a gzipped 400 readable', async () => {
    const s = await start();
    s.relay.enqueue(
      { kind: 'json', gzip: true, usage: { prompt: 7, completion: 3 } },
      { kind: 'sse', gzip: true, usage: { prompt: 11, completion: 2 } },
      { kind: 'status', status: 400, gzip: true },
    );
    const json = await s.client().chat.completions.create(chat).withResponse();
    expect(json.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(json.data).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: '[relay:deepseek-chat] hello' } }] });
    const sse = await s.client().chat.completions.create(stream).withResponse();
    expect(sse.response.headers.get('x-bellwether-side')).toBe('relay');
    const { items, error } = await collect(sse.data);
    expect(error).toBeUndefined();
    expect(text(items)).toBe('[relay:deepseek-chat] hello');
    expect(metric(await s.metrics(), 'bellwether_tokens_total', { side: 'relay', model: 'deepseek-chat', kind: 'input' })).toBe(7 + 11);
    expect((await s.status()).window.sides.relay).toMatchObject({ requests: 2, failures: 0 });

    const err = (await s.client().chat.completions.create(chat).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.message).toContain('[relay:deepseek-chat] Invalid request.');
    expect(err.headers?.get('content-encoding')).toBeNull();
  });

  it('streamed Responses API answers ending in response.incomplete or response.failed count their usage and end cleanly', async () => {
    const s = await start();
    let input = 0;
    for (const [terminal, prompt] of [['incomplete', 7], ['failed', 11], ['completed', 13]] as const) {
      s.relay.enqueue({ kind: 'sse', responsesTerminal: terminal, usage: { prompt, completion: 2 } });
      // store: false — a stored response would stay on the official API (ADR 0006).
      const { items, error } = await collect(await s.client().responses.create({ model: 'gpt-4o', input: 'hi', stream: true, store: false }));
      expect(error).toBeUndefined();
      expect(items.at(-1)?.type).toBe(`response.${terminal}`);
      input += prompt;
      expect(metric(await s.metrics(), 'bellwether_tokens_total', { side: 'relay', kind: 'input' }), terminal).toBe(input);
    }
    expect(metric(await s.metrics(), 'bellwether_stream_errors_total')).toBe(0);
  });
});

describe('secrets a relay reflects', () => {
  it('the app never sees the relay key, whole or masked, whatever the relay echoes', async () => {
    const s = await start();
    const seen: Array<[string, string]> = [];
    const ask = async (what: string, streamed: boolean): Promise<Response> => {
      const res = await fetch(`${s.sidecar.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}` },
        body: JSON.stringify(streamed ? stream : chat),
      });
      const body = await res.text().catch((e: unknown) => `<cut: ${String(e)}>`);
      seen.push([what, `${res.status}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${body}`]);
      return res;
    };
    s.relay.enqueue({ kind: 'json', echoKey: 'header' });
    await ask('a header', false);
    s.relay.enqueue({ kind: 'sse', echoKey: 'error-event' });
    await ask('a mid-stream error event', true);
    s.relay.enqueue({ kind: 'json', echoKey: 'masked-body' });
    const masked = await ask('a masked 401', false);
    expect(masked.headers.get('x-bellwether-side')).toBe('official'); // a relay 401 is a relay failure
    s.relay.enqueue({ kind: 'json', echoKey: 'body' });
    await ask('a 200 body', false);
    for (const [what, raw] of seen) {
      for (const needle of [RELAY_KEY, RELAY_KEY.slice(0, 12), `${RELAY_KEY.slice(0, 4)}*`]) {
        expect.soft(raw.includes(needle), `the app saw ${JSON.stringify(needle)} in ${what}:\n${raw.slice(0, 1500)}`).toBe(false);
      }
    }
  });
});

describe('hostile apps', () => {
  it('a body nested 200,000 levels deep is invalid JSON (400), not a crash', async () => {
    const s = await start();
    const depth = 200_000;
    const body = `{"model":"gpt-4o","messages":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await fetch(`${s.sidecar.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string } };
    expect(json.error.code).toBe('invalid_json');
    expect(s.relay.requests.length + s.official.requests.length).toBe(0);
  });

  it('odd model strings get a well-formed response whose x-bellwether-model is a valid header value', async () => {
    const s = await start({ canary: { weight: 0 } }); // the `*` rule has no official rename: the app's model goes through
    for (const model of ['gpt-4o\u2713', 'o3\u2713', 'o3\nmini', 'o3\r\nx-injected: 1', 'm'.repeat(100_000)]) {
      const res = await fetch(`${s.sidecar.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${APP_KEY}` },
        body: JSON.stringify({ model, messages }),
      }).catch((e: unknown) => e);
      const label = JSON.stringify(model.slice(0, 40));
      expect(res, `${label}: ${String(res)}`).toBeInstanceOf(Response);
      const r = res as Response;
      expect(r.headers.get('x-bellwether-side'), label).not.toBe('none'); // the upstream answered, whatever it said
      expect(r.headers.get('x-injected'), label).toBeNull();
      expect(r.headers.get('x-bellwether-model'), label).toMatch(/^[\x20-\x7e]{1,256}$/);
      await r.text();
    }
  });

  it('a 12 MiB body over maxRequestBytes gets 413 request_too_large through the official SDK, every time', async () => {
    const s = await start({ limits: { maxRequestBytes: '10Mi' } });
    const client = s.client({ maxRetries: 2, timeout: 30_000 });
    const big = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'x'.repeat(12 * 1024 * 1024) }] };
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const err = (await client.chat.completions.create(big).catch((e: unknown) => e)) as APIError;
      results.push(err instanceof OpenAI.APIConnectionError ? `connection error (${err.message})` : `${err.status} ${err.code}`);
    }
    expect(results).toEqual(Array.from({ length: 5 }, () => '413 request_too_large'));
    expect(s.relay.requests.length + s.official.requests.length).toBe(0);
  });

  it('paths that climb out of /v1/ or hide a slash are refused in the OpenAI shape, and no upstream sees them', async () => {
    const s = await start();
    const port = Number(new URL(s.sidecar.baseURL).port);
    const cases: Array<[string, number | undefined, string | undefined]> = [
      ['/v1/../admin', 404, 'unknown_path'],
      ['/v1/%2e%2e/admin', 404, 'unknown_path'],
      ['/v1/%2E%2E/%2E%2E/x', 404, 'unknown_path'],
      ['/v1/models/..%2F..%2Fadmin', 400, 'invalid_path'],
      ['/v1/models/..%5C..%5Cadmin', 400, 'invalid_path'],
      ['/v1/models/%zz', 400, 'invalid_path'],
      ['/v1//../x', undefined, undefined], // resolves to /v1/x or is refused: either way it must not go out as written
    ];
    for (const [path, status, code] of cases) {
      const res = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${APP_KEY}\r\nConnection: close\r\n\r\n`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      if (status !== undefined) expect(res.status, path).toBe(status);
      const json = JSON.parse(res.text.slice(res.text.indexOf('\r\n\r\n') + 4)) as { error: Record<string, unknown> };
      expect(Object.keys(json.error).sort(), path).toEqual(['code', 'message', 'param', 'type']);
      expect(['unknown_path', 'invalid_path'], path).toContain(json.error['code']);
      if (code !== undefined) expect(json.error['code'], path).toBe(code);
    }
    expect(s.relay.requests.map((r) => r.path).concat(s.official.requests.map((r) => r.path))).toEqual([]);
  });
});

describe('stateful APIs', () => {
  it('at weight 100, files, batches, stored responses and response chains go to official; store: false responses go to the relay', async () => {
    const s = await start();
    const base = s.sidecar.baseURL;
    const auth = { authorization: `Bearer ${APP_KEY}` };
    const json = (body: unknown) => ({ method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"custom_id":"1"}\n']), 'requests.jsonl');
    const official: Array<[string, RequestInit]> = [
      ['/files', { method: 'POST', headers: auth, body: form }],
      ['/files', json({ purpose: 'batch', file: 'abc' })],
      ['/files/file-abc/content', { headers: auth }],
      ['/batches', json({ input_file_id: 'file-abc', endpoint: '/v1/chat/completions', completion_window: '24h' })],
      ['/responses/resp_123', { headers: auth }],
      ['/responses', json({ model: 'gpt-4o', input: 'and then?', previous_response_id: 'resp_123' })],
      ['/responses', json({ model: 'gpt-4o', input: 'hi' })], // stored by default
    ];
    for (const [path, init] of official) {
      const res = await fetch(`${base}${path}`, init);
      await res.arrayBuffer();
      expect(res.headers.get('x-bellwether-side'), `${init.method ?? 'GET'} ${path} ${String(init.body ?? '')}`).toBe('official');
    }
    expect(s.relay.requests).toHaveLength(0);
    const unstored = await fetch(`${base}/responses`, json({ model: 'gpt-4o', input: 'hi', store: false }));
    expect(unstored.headers.get('x-bellwether-side')).toBe('relay');
    expect(((await unstored.json()) as { output_text?: string; output: unknown[] }).output).toHaveLength(1);
  });
});

describe('slow and vanishing app clients', () => {
  it('a slow reader of a long stream causes no MaxListenersExceededWarning and leaves nothing in flight', async () => {
    const s = await start();
    // 16 MB in 2,000 events: far more than loopback socket buffers hold, so writes back up many times
    s.relay.setDefault({ kind: 'sse', chunks: 2000, content: 'y'.repeat(16_000_000) });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const r = await slowRead({ url: `${s.sidecar.baseURL}/chat/completions`, body: JSON.stringify(stream), headers: { authorization: `Bearer ${APP_KEY}` }, readBytes: 64 * 1024, pauseMs: 10, keepBytes: 0 });
      expect(r.status).toBe(200);
      expect(r.complete).toBe(true);
      expect(r.bytes).toBeGreaterThan(16_000_000);
      await sleep(50); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    await eventually(async () => metric(await s.metrics(), 'bellwether_inflight_requests') === 0);
  });

  it('an app that goes away in the middle of a large non-streamed reply leaves nothing in flight', async () => {
    const s = await start();
    s.relay.setDefault({ kind: 'json', content: 'z'.repeat(33 * 1024 * 1024) }); // over the 32 MiB buffer cap: streamed through
    const r = await slowRead({ url: `${s.sidecar.baseURL}/chat/completions`, body: JSON.stringify(chat), headers: { authorization: `Bearer ${APP_KEY}` }, readBytes: 64 * 1024, pauseMs: 5, abortAfterBytes: 1024 * 1024, keepBytes: 0 });
    expect(r.status).toBe(200);
    expect(r.aborted).toBe(true);
    await eventually(async () => metric(await s.metrics(), 'bellwether_inflight_requests') === 0);
    // The gauge follows the app's connection; the handler itself must finish too: it counts the
    // request when it does, and the sidecar can then shut down.
    await eventually(async () => metric(await s.metrics(), 'bellwether_requests_total') === 1, 3_000);
    stack = undefined;
    expect(await Promise.race([s.close().then(() => 'closed'), sleep(3_000).then(() => 'still waiting for a handler')])).toBe('closed');
    await Promise.all([s.relay.close(), s.official.close()]);
  });
});

describe('found in review', () => {
  it('a relay that pings but never answers is left at firstByte, not held until the total timeout', async () => {
    const s = await start({ timeouts: { connect: '500ms', firstByte: '500ms', idle: '500ms', total: '20s' } });
    // Pings every 100 ms for ~100 s: each refreshes nothing that matters; no data event comes.
    s.relay.onModel('deepseek-chat', { kind: 'sse', pingsBefore: 1000, pingIntervalMs: 100 });
    const res = await s.client().chat.completions.create(stream).withResponse();
    expect(res.response.headers.get('x-bellwether-model')).toBe('kimi-k2');
    const { items, error } = await collect(res.data);
    expect(error).toBeUndefined();
    expect(text(items)).toBe('[relay:kimi-k2] hello');
    expect(metric(await s.metrics(), 'bellwether_upstream_attempts_total', { model: 'deepseek-chat', result: 'timeout' })).toBe(1);
  });

  it('the relay key never reaches the app through an SSE comment or an error code quoted in the sidecar\'s own error', async () => {
    const http = await import('node:http');
    const echo = http.createServer((req, res) => {
      const auth = String(req.headers['authorization'] ?? '');
      if (req.url?.includes('fail')) return void res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'down', type: 'server_error', code: auth.slice(7) } }));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      res.end(`${chunk('a')}: auth ${auth}\n\n${chunk('b')}data: [DONE]\n\n`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const port = (echo.address() as { port: number }).port;
    try {
      const s = (stack = await startStack((official) => ({ ...fast, official: { baseURL: official.url }, relay: { baseURL: `http://127.0.0.1:${port}/v1`, apiKeySecretRef: { name: 'k', key: 'k' } } })));
      const raw = await fetch(`${s.sidecar.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stream) });
      const body = await raw.text();
      expect(body).toContain(': auth Bearer [redacted]');
      expect(body).not.toContain(RELAY_KEY);
      // A relay failure whose error.code is the key, with no official fallback: the summary quotes it.
      s.writeRoute({ ...fast, canary: { weight: 100, fallbackToOfficial: false }, official: { baseURL: s.official.url }, relay: { baseURL: `http://127.0.0.1:${port}/fail/v1`, apiKeySecretRef: { name: 'k', key: 'k' } } });
      await eventually(async () => (await s.status()).generation === 2);
      const failed = await fetch(`${s.sidecar.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat) });
      const text = await failed.text();
      expect(failed.status).toBe(503);
      expect(text).not.toContain(RELAY_KEY);
    } finally {
      echo.close();
    }
  });
});
