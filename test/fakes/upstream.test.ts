/**
 * The fake upstream, proven with the official `openai` SDK as its client.
 * Also pins down how the SDK reacts to the faults the sidecar must handle.
 */
import OpenAI, { APIConnectionError, APIError, RateLimitError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './upstream.js';

let fake: FakeUpstream;
let client: OpenAI;
const messages = [{ role: 'user' as const, content: 'hi' }];

beforeEach(async () => {
  fake = await startFakeUpstream({ name: 'relay' });
  client = new OpenAI({ baseURL: fake.url, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
});
afterEach(() => fake.close());

async function drain<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

describe('chat completions', () => {
  it('answers JSON in the real shape and records the request first', async () => {
    fake.onModel('deepseek-chat', { kind: 'json', usage: { prompt: 7, completion: 3, cached: 2 } });
    const { data, response } = await client.chat.completions
      .create({ model: 'deepseek-chat', messages })
      .withResponse();
    expect(response.headers.get('x-fake-upstream')).toBe('relay');
    expect(data).toMatchObject({ object: 'chat.completion', model: 'deepseek-chat' });
    expect(data.choices[0]).toMatchObject({
      message: { role: 'assistant', content: '[relay:deepseek-chat] hello' },
      finish_reason: 'stop',
    });
    expect(data.usage).toMatchObject({
      prompt_tokens: 7,
      completion_tokens: 3,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 2 },
    });
    const [rec] = fake.requests;
    expect(rec).toMatchObject({ method: 'POST', path: '/v1/chat/completions', aborted: false });
    expect(rec?.headers.authorization).toBe('Bearer test');
    expect(rec?.body).toEqual({ model: 'deepseek-chat', messages });
    await rec?.closed;
  });

  it('streams the role delta, content deltas, finish and — with include_usage — a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'kimi-k2',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { items, error } = await drain(stream);
    expect(error).toBeUndefined();
    expect(items.length).toBe(1 + 3 + 1 + 1);
    expect(items[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: '' });
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('[relay:kimi-k2] hello');
    expect(items.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(items.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    expect(items.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(fake.requests[0]?.chunksSent).toBe(6);
  });

  it('sends no usage key at all without include_usage', async () => {
    fake.setDefault({ kind: 'sse', chunks: 1 });
    const { items } = await drain(await client.chat.completions.create({ model: 'm', messages, stream: true }));
    expect(items).toHaveLength(3);
    expect(items.every((c) => !('usage' in c))).toBe(true);
  });

  it('picks queued behaviours first, then by model, then the default', async () => {
    fake.setDefault({ kind: 'json', content: 'default' });
    fake.onModel('a', { kind: 'json', content: 'by model' });
    fake.enqueue({ kind: 'json', content: 'queued' });
    const ask = async (model: string) => (await client.chat.completions.create({ model, messages })).choices[0]?.message.content;
    expect([await ask('a'), await ask('a'), await ask('b')]).toEqual(['queued', 'by model', 'default']);
    fake.reset();
    expect(fake.requests).toEqual([]);
    expect(await ask('a')).toBe('default');
  });
});

describe('errors and faults', () => {
  it('surfaces a 429 with retry-after as RateLimitError', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '7', retryAfterMs: 6500 });
    const err = await client.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    const rle = err as RateLimitError;
    expect(rle.status).toBe(429);
    expect(rle.code).toBe('rate_limit_exceeded');
    expect(rle.message).toContain('[relay:m]');
    expect(rle.headers.get('retry-after')).toBe('7');
    expect(rle.headers.get('retry-after-ms')).toBe('6500');
  });

  it('makes SDK iteration throw when a stream is cut', async () => {
    fake.setDefault({ kind: 'sse', cutAfter: 2 });
    const { items, error } = await drain(await client.chat.completions.create({ model: 'm', messages, stream: true }));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(Error); // undici's TypeError('terminated'), not an OpenAI error class
    expect(error).not.toBeInstanceOf(APIError);
    await fake.requests[0]?.closed;
    expect(fake.requests[0]?.aborted).toBe(false);
  });

  it('gated: the client holds chunk i before chunk i+1 is sent', async () => {
    fake.setDefault({ kind: 'sse', gated: true, chunks: 2 });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    const rec = (await fake.waitForRequests(1))[0]!;
    expect(rec.chunksSent).toBe(0);
    fake.release();
    let seen = 0;
    for await (const chunk of stream) {
      seen++;
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(rec.chunksSent).toBeLessThanOrEqual(seen); // chunk seen+1 is still held back
      fake.release();
    }
    expect(seen).toBe(4);
  });

  it('records a client abort', async () => {
    fake.setDefault({ kind: 'stall' });
    const ac = new AbortController();
    const pending = client.chat.completions.create({ model: 'm', messages }, { signal: ac.signal }).catch((e: unknown) => e);
    const rec = (await fake.waitForRequests(1))[0]!;
    ac.abort();
    await rec.closed;
    expect(rec.aborted).toBe(true);
    expect(await pending).toBeInstanceOf(APIError); // APIUserAbortError
  });

  it('records a client that stops reading a stalled stream', async () => {
    fake.setDefault({ kind: 'sse', stallAfter: 2 });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    let seen = 0;
    for await (const _ of stream) if (++seen === 2) break; // the SDK aborts the request on break
    await fake.requests[0]?.closed;
    expect(fake.requests[0]?.aborted).toBe(true);
  });

  it('turns a reset into APIConnectionError', async () => {
    fake.enqueue({ kind: 'reset' });
    await expect(client.chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('closes promptly with a stalled request in flight', async () => {
    fake.setDefault({ kind: 'stall' });
    const pending = client.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    await fake.waitForRequests(1);
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(2_000); // generous: without the fix it never resolves
    expect(await pending).toBeInstanceOf(APIConnectionError);
    expect(fake.requests[0]?.aborted).toBe(false);
  });
});

describe('how the SDK treats in-band stream errors', () => {
  const stream = async () => drain(await client.chat.completions.create({ model: 'm', messages, stream: true }));

  it('`data: {"error":…}` mid-stream throws a status-less APIError', async () => {
    fake.setDefault({ kind: 'sse', errorAfter: 2 });
    const { items, error } = await stream();
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: undefined, type: 'server_error' });
    expect((error as APIError).message).toContain('[relay:m]');
  });

  it('`event: error` with {"error":…} data throws the same way: the event name is ignored', async () => {
    fake.setDefault({ kind: 'sse', errorAfter: 2, errorAs: 'event' });
    const { items, error } = await stream();
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(APIError);
  });

  it('`event: error` without an "error" key is yielded as if it were a chunk', async () => {
    fake.setDefault({ kind: 'sse', errorAfter: 2, errorAs: 'event', errorBody: { message: 'boom' } });
    const { items, error } = await stream();
    expect(error).toBeUndefined();
    expect(items).toHaveLength(3);
    expect(items[2]).toEqual({ message: 'boom' });
  });

  it('a stream that ends without [DONE] looks complete', async () => {
    fake.setDefault({ kind: 'sse', endAfter: 2 });
    const { items, error } = await stream();
    expect(error).toBeUndefined();
    expect(items).toHaveLength(2);
  });

  it('a malformed data line throws a SyntaxError', async () => {
    fake.setDefault({ kind: 'sse', garbageAfter: 1 });
    const { items, error } = await stream();
    expect(items).toHaveLength(1);
    expect(error).toBeInstanceOf(SyntaxError);
  });
});

describe('other endpoints', () => {
  it('embeddings: base64 by default (the SDK decodes it) and plain floats on request', async () => {
    const b64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(fake.requests[0]?.body.encoding_format).toBe('base64');
    expect(b64).toMatchObject({ object: 'list', usage: { prompt_tokens: 10, total_tokens: 10 } });
    expect(b64.data.map((d) => d.index)).toEqual([0, 1]);
    const floats = await client.embeddings.create({ model: 'e', input: 'a', encoding_format: 'float', dimensions: 4 });
    expect(floats.data[0]?.embedding).toHaveLength(4);
    const decoded = [...(b64.data[0]?.embedding ?? [])].slice(0, 4);
    floats.data[0]?.embedding.forEach((v, i) => expect(decoded[i]).toBeCloseTo(v, 5));
  });

  it('responses: JSON with output_text and usage', async () => {
    const r = await client.responses.create({ model: 'deepseek-chat', input: 'hi' });
    expect(r).toMatchObject({ object: 'response', status: 'completed', output_text: '[relay:deepseek-chat] hello' });
    expect(r.usage).toMatchObject({ input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 } });
  });

  it('responses: named SSE events that the SDK stream helper accepts', async () => {
    const { items } = await drain(await client.responses.create({ model: 'kimi-k2', input: 'hi', stream: true }));
    expect(items[0]?.type).toBe('response.created');
    expect(items.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(3);
    const done = items.at(-1);
    expect(done?.type === 'response.completed' && done.response.usage?.output_tokens).toBe(5);
    const final = await client.responses.stream({ model: 'kimi-k2', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('[relay:kimi-k2] hello');
  });

  it('legacy completions: JSON and SSE', async () => {
    const json = await client.completions.create({ model: 'davinci-002', prompt: 'hi' });
    expect(json).toMatchObject({ object: 'text_completion', choices: [{ text: '[relay:davinci-002] hello' }] });
    const { items } = await drain(await client.completions.create({ model: 'd', prompt: 'hi', stream: true }));
    expect(items.map((c) => c.choices[0]?.text ?? '').join('')).toBe('[relay:d] hello');
  });

  it('lists models, and echoes paths it has no model for', async () => {
    fake.onModel('deepseek-chat', { kind: 'json' });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('deepseek-chat');
    const res = await fetch(`${fake.url}/files?purpose=x`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(res.headers.get('x-fake-upstream')).toBe('relay');
    expect(await res.json()).toMatchObject({ method: 'POST', path: '/v1/files?purpose=x', bodyBytes: 3 });
  });

  it('sends a string error body as text, as a misbehaving gateway would', async () => {
    fake.enqueue({ kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });
    const err = await client.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, error: undefined });
  });
});

/** The raw bytes of a reply, as a client that decodes nothing would see them. */
async function rawFetch(url: string, body: unknown, headers: Record<string, string> = {}) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer; chunks: Buffer[] }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer fake-key-for-tests-wxyz', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), chunks }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), chunks }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), chunks }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
const chatBody = (stream: boolean) => ({ model: 'm', messages, ...(stream ? { stream: true } : {}) });

describe('hostile relay faults', () => {
  it('pingsBefore: comment pings precede the first frame, and with cutAfter 0 the connection dies after them', async () => {
    fake.setDefault({ kind: 'sse', pingsBefore: 2, pingIntervalMs: 5 });
    const ok = await rawFetch(`${fake.url}/chat/completions`, chatBody(true));
    expect(ok.body.toString().startsWith(': keep-alive\n\n: keep-alive\n\ndata: {')).toBe(true);
    expect(ok.body.toString().endsWith('data: [DONE]\n\n')).toBe(true);
    fake.setDefault({ kind: 'sse', pingsBefore: 2, cutAfter: 0 });
    const { items, error } = await drain(await client.chat.completions.create({ model: 'm', messages, stream: true }));
    expect(items).toHaveLength(0);
    expect(error).toBeInstanceOf(Error);
    const cut = await rawFetch(`${fake.url}/chat/completions`, chatBody(true));
    expect(cut.body.toString()).toBe(': keep-alive\n\n: keep-alive\n\n'); // the pings arrived, then the socket closed
    expect(fake.requests.at(-1)?.chunksSent).toBe(0);
  });

  it('gzip: JSON, error statuses and SSE are gzipped whatever accept-encoding says; SSE is flushed frame by frame', async () => {
    const { gunzipSync, createGunzip } = await import('node:zlib');
    fake.enqueue({ kind: 'json', gzip: true }, { kind: 'status', status: 400, gzip: true });
    const json = await rawFetch(`${fake.url}/chat/completions`, chatBody(false), { 'accept-encoding': 'identity' });
    expect(json.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(json.body).toString())).toMatchObject({ object: 'chat.completion' });
    const err = await rawFetch(`${fake.url}/chat/completions`, chatBody(false), { 'accept-encoding': 'identity' });
    expect(err.status).toBe(400);
    expect(JSON.parse(gunzipSync(err.body).toString())).toMatchObject({ error: { type: 'invalid_request_error' } });
    // the SDK's fetch decodes it
    fake.enqueue({ kind: 'json', gzip: true });
    expect((await client.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content).toBe('[relay:m] hello');

    fake.setDefault({ kind: 'sse', gzip: true, gated: true, chunks: 2 });
    const { request } = await import('node:http');
    const frames: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(`${fake.url}/chat/completions`, { method: 'POST', headers: { 'accept-encoding': 'identity' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const gunzip = createGunzip();
        res.pipe(gunzip);
        let text = '';
        gunzip.on('data', (c: Buffer) => {
          text += c.toString();
          const parts = text.split('\n\n');
          text = parts.pop()!;
          for (const p of parts) {
            frames.push(p);
            fake.release(); // the next frame goes only once this one was decoded: per-frame flushing
          }
        });
        gunzip.on('end', () => resolve());
        gunzip.on('error', reject);
      });
      req.end(JSON.stringify(chatBody(true)));
    });
    fake.release();
    await done;
    expect(frames).toHaveLength(1 + 2 + 1 + 1);
    expect(frames.at(-1)).toBe('data: [DONE]');
  });

  it('contentType and rawBody: a 200 text/html CDN page, and a 200 application/json that is not JSON', async () => {
    fake.enqueue(
      { kind: 'json', contentType: 'text/html', rawBody: '<html><body>Cloudflare: 522</body></html>' },
      { kind: 'json', rawBody: 'upstream connect error' },
      { kind: 'status', status: 503, contentType: 'text/html', rawBody: '<html>busy</html>' },
    );
    const html = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody(false)) });
    expect([html.status, html.headers.get('content-type'), await html.text()]).toEqual([200, 'text/html', '<html><body>Cloudflare: 522</body></html>']);
    const notJson = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(chatBody(false)) });
    expect([notJson.status, notJson.headers.get('content-type'), await notJson.text()]).toEqual([200, 'application/json', 'upstream connect error']);
    const busy = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: '{}' });
    expect([busy.status, busy.headers.get('content-type'), await busy.text()]).toEqual([503, 'text/html', '<html>busy</html>']);
  });

  it('hugeEventBytes: the first content delta carries that much content, trickled out in slices', async () => {
    fake.setDefault({ kind: 'sse', hugeEventBytes: 1024 * 1024, chunks: 2 });
    const { items, error } = await drain(await client.chat.completions.create({ model: 'm', messages, stream: true }));
    expect(error).toBeUndefined();
    expect(items[1]?.choices[0]?.delta.content?.length).toBe(1024 * 1024);
    expect(items.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('x'.repeat(1024 * 1024) + '[relay:m] hello');
    const raw = await rawFetch(`${fake.url}/chat/completions`, chatBody(true));
    expect(raw.chunks.length).toBeGreaterThan(4); // not one write
  });

  it('lineEnding: every line ending of every frame, terminators and [DONE] included', async () => {
    for (const [ending, eol] of [['crlf', '\r\n'], ['cr', '\r'], ['lf', '\n']] as const) {
      fake.setDefault({ kind: 'sse', lineEnding: ending, chunks: 1 });
      const text = (await rawFetch(`${fake.url}/chat/completions`, chatBody(true))).body.toString();
      expect(text.endsWith(`data: [DONE]${eol}${eol}`)).toBe(true);
      const frames = text.split(`${eol}${eol}`).filter(Boolean);
      expect(frames).toHaveLength(4);
      const bare = ending === 'crlf' ? text.replace(/\r\n/g, '') : text.replace(new RegExp(eol, 'g'), '');
      expect(bare).not.toMatch(/[\r\n]/); // no other line ending anywhere
    }
    fake.setDefault({ kind: 'sse', lineEnding: 'crlf', errorAfter: 1, errorAs: 'event' });
    expect((await rawFetch(`${fake.url}/chat/completions`, chatBody(true))).body.toString()).toMatch(/\r\n\r\nevent: error\r\ndata: \{.*\}\r\n\r\n$/);
  });

  it('doneWithoutBlankLine: the stream ends right after `data: [DONE]` and one line ending', async () => {
    fake.setDefault({ kind: 'sse', doneWithoutBlankLine: true });
    const text = (await rawFetch(`${fake.url}/chat/completions`, chatBody(true))).body.toString();
    expect(text.endsWith('}\n\ndata: [DONE]\n')).toBe(true);
    fake.setDefault({ kind: 'sse', doneWithoutBlankLine: true, lineEnding: 'crlf' });
    expect((await rawFetch(`${fake.url}/chat/completions`, chatBody(true))).body.toString().endsWith('}\r\n\r\ndata: [DONE]\r\n')).toBe(true);
  });

  it('echoKey: in a header, an in-band error event, OpenAI\'s masked 401 body, and a 200 body', async () => {
    const key = 'fake-key-for-tests-wxyz'; // not a real key: the fake only echoes it
    const keyed = new OpenAI({ baseURL: fake.url, apiKey: key, maxRetries: 0, logLevel: 'off' });
    fake.enqueue({ kind: 'json', echoKey: 'header' });
    const h = await keyed.chat.completions.create({ model: 'm', messages }).withResponse();
    expect(h.response.headers.get('x-echo-authorization')).toBe(`Bearer ${key}`);

    fake.enqueue({ kind: 'sse', echoKey: 'error-event' });
    const { items, error } = await drain(await keyed.chat.completions.create({ model: 'm', messages, stream: true }));
    expect(items).toHaveLength(1);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain(`invalid key ${key}`);

    fake.enqueue({ kind: 'json', echoKey: 'masked-body' });
    const masked = (await keyed.chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e)) as APIError;
    expect(masked.status).toBe(401);
    expect(masked.code).toBe('invalid_api_key');
    expect(masked.error).toEqual({
      message: `Incorrect API key provided: ${key.slice(0, 4)}${'*'.repeat(key.length - 8)}wxyz. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });

    fake.enqueue({ kind: 'json', echoKey: 'body' });
    expect((await keyed.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content).toBe(`your key is ${key}`);
  });

  it('responsesTerminal: streamed /responses end in response.incomplete or response.failed, each with usage', async () => {
    for (const terminal of ['incomplete', 'failed', 'completed'] as const) {
      fake.setDefault({ kind: 'sse', responsesTerminal: terminal, usage: { prompt: 3, completion: 4 } });
      const { items, error } = await drain(await client.responses.create({ model: 'm', input: 'hi', stream: true }));
      expect(error).toBeUndefined();
      const last = items.at(-1) as { type: string; response: { status: string; usage: { input_tokens: number; output_tokens: number } } };
      expect(last.type).toBe(`response.${terminal}`);
      expect(last.response.status).toBe(terminal);
      expect(last.response.usage).toMatchObject({ input_tokens: 3, output_tokens: 4 });
    }
  });
});

describe('misbehaving app clients', () => {
  it('slowRead: reads a large reply in paused turns, and can go away at a byte count', async () => {
    const { slowRead } = await import('./slow-client.js');
    fake.setDefault({ kind: 'json', content: 'y'.repeat(2 * 1024 * 1024) });
    const url = `${fake.url}/chat/completions`;
    const all = await slowRead({ url, body: JSON.stringify(chatBody(false)), readBytes: 256 * 1024, pauseMs: 5, keepBytes: Infinity });
    expect(all.status).toBe(200);
    expect(all.complete).toBe(true);
    expect(JSON.parse(all.body.toString()).choices[0].message.content).toHaveLength(2 * 1024 * 1024);
    const gone = await slowRead({ url, body: JSON.stringify(chatBody(false)), abortAfterBytes: 100_000 });
    expect(gone.aborted).toBe(true);
    expect(gone.complete).toBe(false);
    expect(gone.bytes).toBeGreaterThanOrEqual(100_000);
    expect(gone.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('expectContinue: node answers 100 Continue, then the body goes and the reply comes back', async () => {
    const { expectContinue } = await import('./slow-client.js');
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(2048) }] });
    const r = await expectContinue({ url: `${fake.url}/chat/completions`, body });
    expect(r.continued).toBe(true);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toMatchObject({ object: 'chat.completion' });
    expect(fake.requests[0]?.headers.expect).toBe('100-continue');
    expect(fake.requests[0]?.rawBody.toString()).toBe(body);
  });
});
