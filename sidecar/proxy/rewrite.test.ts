import { describe, expect, it } from 'vitest';
import { appAskedUsage, appResponseHeaders, upstreamBody, upstreamHeaders, upstreamPath } from './rewrite.js';

const app = {
  authorization: 'Bearer app-key',
  'openai-organization': 'org-1',
  'openai-project': 'proj-1',
  'x-api-key': 'other',
  cookie: 'a=b',
  'content-type': 'application/json',
  'content-length': '10',
  connection: 'keep-alive',
  host: '127.0.0.1:14000',
  'x-request-id': 'r1',
  'x-bellwether-debug': '1',
};

describe('upstreamHeaders', () => {
  it('gives the relay the relay key and nothing the app meant for the official API', () => {
    const h = upstreamHeaders(app, 'relay', { relay: 'relay-key', official: 'official-key' }, false, { parsed: true, contentLength: 42 });
    expect(h).toEqual({
      authorization: 'Bearer relay-key',
      'content-type': 'application/json',
      'x-request-id': 'r1',
      'accept-encoding': 'identity',
      'content-length': '42',
    });
  });

  it("gives the official side the app's own Authorization, never the relay key", () => {
    const h = upstreamHeaders(app, 'official', { relay: 'relay-key' }, false, { parsed: false });
    expect(h).toMatchObject({ authorization: 'Bearer app-key', 'openai-organization': 'org-1' });
    expect(JSON.stringify(h)).not.toContain('relay-key');
  });

  it('replaces the app key with the official key when the route names one', () => {
    const h = upstreamHeaders(app, 'official', { relay: 'relay-key', official: 'official-key' }, true, { parsed: false });
    expect(h).toMatchObject({ authorization: 'Bearer official-key' });
    expect(JSON.stringify(h)).not.toContain('app-key');
  });

  it('refuses the relay side without a relay key', () => {
    expect(upstreamHeaders(app, 'relay', {}, false, { parsed: true })).toBe('relay_key_missing');
  });
});

describe('body and path', () => {
  const send = (body: Record<string, unknown>, model: string, askUsage: boolean, raw = Buffer.from(JSON.stringify(body))) =>
    JSON.parse(upstreamBody(raw, body, model, askUsage).toString());

  it('changes only the model, and asks for usage when told to', () => {
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 };
    expect(send(body, 'kimi-k2', false)).toEqual({ ...body, model: 'kimi-k2' });
    expect(send(body, 'kimi-k2', true)).toEqual({ ...body, model: 'kimi-k2', stream_options: { include_usage: true } });
    const withOptions = { ...body, stream_options: { foo: 1 } };
    expect(send(withOptions, 'kimi-k2', true).stream_options).toEqual({ foo: 1, include_usage: true });
    expect(body.model).toBe('gpt-4o'); // the app's body is not mutated
  });

  it("splices the model into the app's bytes, keeping their formatting", () => {
    const raw = Buffer.from('{\n  "model" : "gpt-4o",\n  "messages": [{"role":"user","content":"x"}]\n}');
    const body = JSON.parse(raw.toString()) as Record<string, unknown>;
    expect(upstreamBody(raw, body, 'kimi-k2', false).toString()).toBe('{\n  "model" : "kimi-k2",\n  "messages": [{"role":"user","content":"x"}]\n}');
  });

  it('re-serialises when a second "model" key could override the first', () => {
    const raw = Buffer.from('{"model":"gpt-4o","metadata":{"model":"x"},"model":"gpt-4o"}');
    const body = JSON.parse(raw.toString()) as Record<string, unknown>;
    const out = JSON.parse(upstreamBody(raw, body, 'kimi-k2', false).toString());
    expect(out.model).toBe('kimi-k2');
  });

  it('knows whether the app asked for the usage chunk itself', () => {
    expect(appAskedUsage({ stream_options: { include_usage: true } })).toBe(true);
    expect(appAskedUsage({ stream_options: {} })).toBe(false);
    expect(appAskedUsage({})).toBe(false);
  });

  it('maps /v1/... onto the upstream base path', () => {
    expect(upstreamPath({ baseURL: 'https://r/v1', origin: 'https://r', basePath: '/v1' }, '/v1/chat/completions?x=1')).toBe('/v1/chat/completions?x=1');
    expect(upstreamPath({ baseURL: 'https://r/api/openai/v1', origin: 'https://r', basePath: '/api/openai/v1' }, '/v1/embeddings')).toBe('/api/openai/v1/embeddings');
  });
});

it('appResponseHeaders drops hop-by-hop, length and encoding', () => {
  expect(appResponseHeaders({ 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked', 'content-length': '5', 'content-encoding': 'gzip', 'x-request-id': 'u1' })).toEqual({
    'content-type': 'text/event-stream',
    'x-request-id': 'u1',
  });
});

