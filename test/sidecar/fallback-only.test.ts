/**
 * spec.canary.mode: fallbackOnly — "the relay as last resort". Official
 * first; the relay chain serves only requests the official API failed
 * (429, 5xx, connection errors, timeouts) before any byte reached the app,
 * with the same retries, breakers and accounting. Real sockets, openai SDK.
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { RELAY_KEY, eventually, metric, startStack, type Spec, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

type APIError = InstanceType<typeof OpenAI.APIError>;
const chat = (model = 'gpt-4o') => ({ model, messages: [{ role: 'user' as const, content: 'hello' }] });
const spec = (canary: Record<string, unknown> = {}): Spec => ({
  canary: { weight: 100, mode: 'fallbackOnly', ...canary },
  retry: { attempts: 1, backoff: { base: '1ms', max: '20ms' } },
  timeouts: { connect: '300ms', firstByte: '500ms', idle: '500ms', total: '5s' },
});

it('sends everything to the official API while it works; the relay is never called', async () => {
  stack = await startStack(spec());
  const client = stack.client();
  for (let i = 0; i < 3; i++) {
    const res = await client.chat.completions.create(chat()).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    expect(res.data.choices[0]?.message.content).toContain('[official:gpt-4.1]');
  }
  expect(stack.relay.requests).toHaveLength(0);
  const s = await stack.status();
  expect(s.window.sides.relay.requests).toBe(0); // nothing relay-routed: the rollback window only sees what reaches the relay
  expect(s.window.sides.official).toMatchObject({ requests: 3, failures: 0 });
});

it('official 5xx: retried on the official side under spec.retry, then the relay chain serves it — counted as relay-routed and as an official failure', async () => {
  stack = await startStack(spec());
  stack.official.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
  const res = await stack.client().chat.completions.create(chat()).withResponse();
  expect(res.response.status).toBe(200);
  expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
  expect(res.response.headers.get('x-bellwether-model')).toBe('deepseek-chat');
  expect(stack.official.requests).toHaveLength(2); // the first try and one retry
  expect(stack.relay.requests).toHaveLength(1);
  expect(stack.relay.requests[0]?.headers.authorization).not.toContain('app-own-key');
  const s = await stack.status();
  expect(s.window.sides.relay).toMatchObject({ requests: 1, failures: 0 });
  expect(s.window.sides.official).toMatchObject({ requests: 1, failures: 1 });
  expect(s.totals.savingsUSD).toBeGreaterThan(0); // accounted like any relay-served reply
  const m = await stack.metrics();
  expect(metric(m, 'bellwether_fallbacks_total', { from: 'official', to: 'deepseek-chat', reason: 'http_503' })).toBe(1);
  expect(metric(m, 'bellwether_upstream_attempts_total', { side: 'official', result: 'http_503' })).toBe(2);
});

it('an official 429 whose Retry-After is beyond backoff.max goes to the relay at once, streamed event for event', async () => {
  stack = await startStack(spec());
  stack.official.enqueue({ kind: 'status', status: 429, retryAfter: '120' });
  const stream = await stack.client().chat.completions.create({ ...chat(), stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toContain('[relay:deepseek-chat]');
  expect(stack.official.requests).toHaveLength(1);
});

it('an official connection failure falls to the relay too', async () => {
  stack = await startStack(spec());
  stack.official.setDefault({ kind: 'reset' });
  const res = await stack.client().chat.completions.create(chat()).withResponse();
  expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
});

it('the app\'s own 4xx is the official API\'s answer: passed on, never sent to the relay', async () => {
  stack = await startStack(spec());
  for (const status of [400, 401, 404]) {
    stack.official.enqueue({ kind: 'status', status });
    const err = (await stack.client().chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(status);
    expect(err.headers?.get('x-bellwether-side')).toBe('official');
  }
  expect(stack.relay.requests).toHaveLength(0);
  expect((await stack.status()).window.sides.relay.requests).toBe(0);
});

it('when the relay cannot serve either, the app gets the official API\'s own failure, and the relay window counts a failure', async () => {
  stack = await startStack(spec({}));
  stack.official.setDefault({ kind: 'status', status: 503, retryAfter: '1' });
  stack.relay.setDefault({ kind: 'status', status: 502 });
  const err = (await stack.client().chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err.status).toBe(503);
  expect(err.message).toContain('[official:gpt-4.1]');
  expect(err.headers?.get('x-bellwether-side')).toBe('official');
  expect(err.headers?.get('x-should-retry')).toBe('false'); // the sidecar already retried and fell back
  expect(stack.relay.requests.length).toBeGreaterThan(0);
  const s = await stack.status();
  expect(s.window.sides.relay).toMatchObject({ requests: 1, failures: 1 });
});

it('weight keeps its meaning as the share the relay may serve: at 0 an official failure is passed on as without bellwether', async () => {
  stack = await startStack(spec({ weight: 0 }));
  stack.official.enqueue({ kind: 'status', status: 503 });
  const err = (await stack.client().chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err.status).toBe(503);
  expect(err.headers?.get('x-should-retry')).not.toBe('false');
  expect(stack.official.requests).toHaveLength(1); // invisible: one attempt, no retry of its own
  expect(stack.relay.requests).toHaveLength(0);
});

it('refuses fallbackToOfficial: false with mode fallbackOnly, naming the rule', async () => {
  stack = await startStack(spec());
  stack.writeRoute(spec({ fallbackToOfficial: false }));
  const s = await eventually(async () => {
    const doc = await stack.status();
    return doc.config.files.route.ok === false ? doc : undefined;
  });
  expect(s.config.files.route.error).toContain('canary.fallbackToOfficial cannot be false with canary.mode fallbackOnly');
});

it('when the official API sent no reply (connection error) and the relay failed too, the app gets the sidecar\'s own 502, never the relay\'s body', async () => {
  stack = await startStack(spec());
  stack.official.setDefault({ kind: 'reset' });
  const relayBody = { error: { message: `relay overloaded for key ${RELAY_KEY}`, type: 'server_error', code: 'relay_internal_marker' } };
  stack.relay.setDefault({ kind: 'status', status: 503, body: relayBody });
  const err = (await stack.client().chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err).toBeInstanceOf(OpenAI.APIError);
  expect(err.status).toBe(502);
  expect(err.code).toBe('upstream_unavailable');
  expect(err.headers?.get('x-bellwether-error')).toBe('upstream_unavailable');
  expect(err.headers?.get('x-bellwether-side')).toBe('none');
  expect(err.headers?.get('x-should-retry')).toBe('false');
  expect(err.message).not.toContain('relay overloaded');
  expect(err.message).not.toContain(RELAY_KEY);
  expect(stack.relay.requests.length).toBeGreaterThan(0);
  expect((await stack.status()).window.sides.relay).toMatchObject({ requests: 1, failures: 1 });
});

it('when the official API timed out and the relay failed too, the app gets the sidecar\'s own 504 upstream_timeout', async () => {
  stack = await startStack(spec());
  stack.official.setDefault({ kind: 'stall' });
  stack.relay.setDefault({ kind: 'status', status: 502, body: { error: { message: 'relay gateway marker', type: 'server_error' } } });
  const err = (await stack.client().chat.completions.create(chat()).catch((e: unknown) => e)) as APIError;
  expect(err.status).toBe(504);
  expect(err.headers?.get('x-bellwether-error')).toBe('upstream_timeout');
  expect(err.headers?.get('x-bellwether-side')).toBe('none');
  expect(err.message).not.toContain('relay gateway marker');
  expect(stack.relay.requests.length).toBeGreaterThan(0);
});
