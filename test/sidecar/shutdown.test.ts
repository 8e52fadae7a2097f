/**
 * Shutdown as Kubernetes needs it (shutdown.ts), checked by the order of
 * events, never by elapsed time: each wait of the sequence is handed out by
 * the test (`ManualTimers`), so "during the drain delay" and "at the
 * deadline" are states the test puts the sidecar in.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startStack, type Stack } from './harness.js';
import type { ShutdownTimers } from '../../sidecar/shutdown.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.official.close();
  await stack?.relay.close();
  stack = undefined;
});

/** Every wait the shutdown asks for is recorded and ends only when the test says so. */
class ManualTimers implements ShutdownTimers {
  readonly waits: Array<{ ms: number; end: () => void }> = [];
  private notify: Array<() => void> = [];
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      this.waits.push({ ms, end: resolve });
      signal.addEventListener('abort', () => resolve(), { once: true });
      for (const n of this.notify.splice(0)) n();
    });
  }
  /** Resolves once the sequence has asked for its `n`th wait (1-based). */
  async asked(n: number): Promise<{ ms: number; end: () => void }> {
    while (this.waits.length < n) await new Promise<void>((r) => this.notify.push(r));
    return this.waits[n - 1]!;
  }
}

const chatBody = (stream = false) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) });

function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

/** A raw keep-alive connection that has served one request and is now idle. */
async function idleKeepAlive(port: number): Promise<{ closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    let got = '';
    socket.on('data', (b: Buffer) => {
      got += b.toString('utf8');
      if (got.endsWith('\r\n0\r\n\r\n')) resolve(); // the end of the chunked reply
    });
    socket.write('GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
  });
  return { closed };
}

/** The phases logged, in order. */
const phases = (s: Stack): string[] =>
  s.logs.map((l) => JSON.parse(l) as { phase?: string }).filter((l) => l.phase).map((l) => l.phase!);

it('drains (serving new connections, /readyz 503), then refuses new connections, closes idle ones, and lets the in-flight request finish', async () => {
  stack = await startStack({ canary: { weight: 100 } });
  const port = Number(new URL(stack.sidecar.baseURL).port);
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const idle = await idleKeepAlive(port);

  // In flight: a stream whose first event the relay holds back, so the reply has not started.
  stack.relay.enqueue({ kind: 'sse', gated: true, chunks: 2 });
  const inflight = request(`${stack.sidecar.baseURL}/chat/completions`, {
    method: 'POST',
    body: chatBody(true),
    headers: { 'content-type': 'application/json' },
    dispatcher: agent,
  });
  await stack.relay.waitForRequests(2);

  const timers = new ManualTimers();
  let done = false;
  const shutdown = stack.sidecar.shutdown({ drainDelayMs: 5_000, timeoutMs: 25_000, timers }).then(() => (done = true));

  // 1. The drain delay: not ready, but still accepting and serving new connections.
  const drain = await timers.asked(1);
  expect(drain.ms).toBe(5_000);
  const ready = await fetch(`${stack.sidecar.adminURL}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.text()).toBe('draining\n');
  const fresh = new Agent();
  const served = await request(`${stack.sidecar.baseURL}/chat/completions`, { method: 'POST', body: chatBody(), headers: { 'content-type': 'application/json' }, dispatcher: fresh });
  expect(served.statusCode).toBe(200);
  expect(JSON.parse(await served.body.text()).choices[0].message.content).toContain('[relay:');
  expect(phases(stack)).toEqual(['drain']);

  // 2. The drain delay ends: new connections are refused, the idle keep-alive connection is
  //    closed — while the in-flight request is still waiting on its upstream.
  drain.end();
  const deadline = await timers.asked(2);
  expect(deadline.ms).toBeGreaterThan(0);
  expect(await tryConnect(port)).toBe('ECONNREFUSED');
  await idle.closed;
  expect(stack.relay.requests[1]!.chunksSent).toBe(0);
  expect(done).toBe(false);

  // 3. The upstream answers: the in-flight request completes, with connection: close, and the
  //    shutdown completes without its deadline ever being reached.
  stack.relay.release(100);
  const res = await inflight;
  expect(res.statusCode).toBe(200);
  expect(res.headers['connection']).toBe('close');
  const text = await res.body.text();
  expect(text).toContain('[relay:');
  expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  await shutdown;
  expect(timers.waits).toHaveLength(2);
  expect(phases(stack)).toEqual(['drain', 'stop_accepting', 'drained', 'done']);
  expect(stack.logs.some((l) => l.includes('"msg":"circuit'))).toBe(false);
  await Promise.all([agent.close(), fresh.close()]);
});

it('a connection that never sent a request does not hold the shutdown until its deadline', async () => {
  stack = await startStack({ canary: { weight: 100 } });
  const port = Number(new URL(stack.sidecar.baseURL).port);
  // Connected, then silent (Node's own fetch leaves such a connection behind after an aborted stream).
  const silent = net.connect(port, '127.0.0.1');
  silent.on('error', () => undefined);
  const closed = new Promise<void>((r) => silent.once('close', () => r()));
  await new Promise<void>((r) => silent.once('connect', () => r()));

  const timers = new ManualTimers();
  const shutdown = stack.sidecar.shutdown({ drainDelayMs: 5_000, timeoutMs: 25_000, timers });
  (await timers.asked(1)).end(); // the drain delay
  await timers.asked(2); // the deadline: never ended by the test
  await closed; // the server let the silent connection go
  await shutdown;
  expect(timers.waits).toHaveLength(2);
  expect(phases(stack)).toEqual(['drain', 'stop_accepting', 'drained', 'done']);
});

it('at the deadline ends an open stream with a final sidecar_shutting_down event and a stalled JSON request with 503', async () => {
  stack = await startStack({ canary: { weight: 100 } });
  stack.relay.enqueue({ kind: 'sse', stallAfter: 2 }, { kind: 'stall' });
  const port = Number(new URL(stack.sidecar.baseURL).port);

  // The raw stream, as bytes on the wire.
  let firstBytes!: () => void;
  const started = new Promise<void>((r) => (firstBytes = r));
  const stream = new Promise<{ status: number; raw: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let raw = '';
      res.on('data', (b: Buffer) => {
        raw += b.toString('utf8');
        firstBytes();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, raw }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(chatBody(true));
  });
  await started;
  await stack.relay.waitForRequests(1);
  const stalled = fetch(`${stack.sidecar.baseURL}/chat/completions`, { method: 'POST', body: chatBody(), headers: { 'content-type': 'application/json' } });
  await stack.relay.waitForRequests(2);

  const timers = new ManualTimers();
  const shutdown = stack.sidecar.shutdown({ drainDelayMs: 0, timeoutMs: 1_000, timers });
  const deadline = await timers.asked(1); // no drain delay: the first wait is the deadline
  expect(phases(stack)).toEqual(['drain', 'stop_accepting']);
  deadline.end();

  const s = await stream;
  expect(s.status).toBe(200);
  const events = s.raw.split('\n\n').filter((e) => e.trim() !== '');
  const last = events.at(-1)!;
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  const data = JSON.parse(last.split('\n').find((l) => l.startsWith('data: '))!.slice('data: '.length)) as { error: { code: string; type: string } };
  expect(data.error.code).toBe('sidecar_shutting_down');
  expect(data.error.type).toBe('server_error');
  expect(events.some((e) => e.includes('[DONE]'))).toBe(false);

  const j = await stalled;
  expect(j.status).toBe(503);
  expect(j.headers.get('x-bellwether-error')).toBe('sidecar_shutting_down');
  expect(((await j.json()) as { error: { code: string } }).error.code).toBe('sidecar_shutting_down');

  await shutdown;
  expect(phases(stack)).toEqual(['drain', 'stop_accepting', 'deadline', 'done']);
});

it('a second shutdown call joins the first', async () => {
  stack = await startStack({ canary: { weight: 100 } });
  const a = stack.sidecar.shutdown({ drainDelayMs: 0, timeoutMs: 1_000 });
  const b = stack.sidecar.close();
  await Promise.all([a, b]);
  expect(phases(stack).filter((p) => p === 'done')).toHaveLength(1);
});
