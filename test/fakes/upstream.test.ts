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
