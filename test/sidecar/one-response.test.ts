/**
 * "Every request the app sends gets exactly one response": many concurrent
 * app requests, streamed and not, against a relay and an official API that
 * fail in every way the fake knows, and apps that give up half-way.
 */
import { afterEach, expect, it } from 'vitest';
import OpenAI from 'openai';
import { eventually, metric, startStack, type Stack } from './harness.js';
import type { Behavior } from '../fakes/upstream.js';
import { seededRandom } from '../../sidecar/clock.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const FAULTS: Behavior[] = [
  { kind: 'auto' },
  { kind: 'auto', latencyMs: 30 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 429, retryAfterMs: 5 },
  { kind: 'status', status: 400 },
  { kind: 'status', status: 502, body: '<html>bad gateway</html>' },
  { kind: 'reset' },
  { kind: 'stall' },
  { kind: 'headers-then-stall' },
  { kind: 'sse', cutAfter: 2 },
  { kind: 'sse', garbageAfter: 1 },
  { kind: 'sse', endAfter: 2 },
  { kind: 'sse', stallAfter: 2 },
  // a hostile relay
  { kind: 'auto', gzip: true },
  { kind: 'status', status: 503, gzip: true },
  { kind: 'sse', pingsBefore: 2, cutAfter: 0 },
  { kind: 'json', contentType: 'text/html', rawBody: '<html><body>520: Web server is returning an unknown error</body></html>' },
  { kind: 'auto', echoKey: 'header' },
  { kind: 'auto', echoKey: 'masked-body' },
  { kind: 'auto', echoKey: 'error-event' },
  { kind: 'sse', errorAfter: 0 },
  { kind: 'sse', garbageAfter: 0 },
];

type Outcome =
  | { i: number; ok: true }
  | { i: number; ok: false; aborted: true }
  | { i: number; ok: false; status: number | undefined; code: string | null | undefined };

it('answers every app request exactly once, whatever the upstreams do', async () => {
  stack = await startStack({
    canary: { weight: 70 },
    retry: { attempts: 1, backoff: { base: '1ms', max: '10ms' } },
    circuitBreaker: { consecutiveFailures: 1000, cooldown: '1s' },
    timeouts: { connect: '500ms', firstByte: '250ms', idle: '250ms', total: '3s' },
  });
  const random = seededRandom(42); // a failure reproduces
  const pick = (): Behavior => FAULTS[Math.floor(random() * FAULTS.length)]!;
  stack.relay.enqueue(...Array.from({ length: 400 }, pick));
  stack.official.enqueue(...Array.from({ length: 200 }, pick));

  const N = 120;
  const gaveUp = (i: number): boolean => i % 10 === 9;
  const settle = (o: Outcome): Outcome => o;
  const client = stack.client();
  const outcomes = await Promise.all(
    Array.from({ length: N }, async (_, i): Promise<Outcome> => {
      const streamed = i % 2 === 0;
      const ac = new AbortController();
      if (gaveUp(i)) setTimeout(() => ac.abort(), 40); // an app that gives up
      const messages = [{ role: 'user' as const, content: `q${i}` }];
      try {
        // A success must carry an answer: an empty 200 (a stream with no chunk, a reply with no
        // choice) is the clean-looking truncated reply the sidecar must never produce.
        if (streamed) {
          const { data: s, response } = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }, { signal: ac.signal }).withResponse();
          let chunks = 0;
          for await (const _ of s) chunks++;
          // The one allowed exception: the official API's own non-stream answer (an HTML page),
          // passed on as it came, as the app would have seen it without bellwether.
          const officialPage = response.headers.get('x-bellwether-side') === 'official' && !String(response.headers.get('content-type')).startsWith('text/event-stream');
          if (!officialPage) expect(chunks, `request ${i}: a stream that succeeded with no chunk`).toBeGreaterThan(0);
        } else {
          const r: unknown = await client.chat.completions.create({ model: 'gpt-4o', messages }, { signal: ac.signal });
          // The official API's own 200 page (HTML) is passed on as it came; anything else has choices.
          const size = typeof r === 'string' ? r.length : ((r as { choices?: unknown[] }).choices?.length ?? 0);
          expect(size, `request ${i}: a reply that succeeded empty`).toBeGreaterThan(0);
        }
        return settle({ i, ok: true });
      } catch (err) {
        // A connection error means the sidecar dropped the app: exactly what must never happen.
        expect(err, `request ${i}: ${String(err)}`).not.toBeInstanceOf(OpenAI.APIConnectionError);
        expect(err, `request ${i}`).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
        if (err instanceof OpenAI.APIUserAbortError) {
          expect(gaveUp(i), `request ${i} aborted without the app giving up`).toBe(true);
          return settle({ i, ok: false, aborted: true });
        }
        // Anything else must be an OpenAI-shaped error the SDK understood: an HTTP error with
        // its status, or — once a stream has started — an in-band error event (the sidecar's
        // `upstream_stream_interrupted`, or an upstream's own error event passed on).
        expect(err, `request ${i}: ${String(err)}`).toBeInstanceOf(OpenAI.APIError);
        const e = err as InstanceType<typeof OpenAI.APIError>;
        expect(typeof e.message).toBe('string');
        if (typeof e.status !== 'number') {
          expect(streamed, `request ${i}: a status-less error on a non-streamed request`).toBe(true);
          expect(e.error, `request ${i}: ${e.message}`).toMatchObject({ message: expect.any(String) });
        }
        return settle({ i, ok: false, status: e.status, code: e.code });
      }
    }),
  );
  expect(outcomes).toHaveLength(N);
  expect(outcomes.map((o) => o.i)).toEqual(Array.from({ length: N }, (_, i) => i));
  // A second answer to one request surfaces inside the sidecar (ERR_HTTP_HEADERS_SENT, caught by
  // the server's last-resort handler) and as a second count in bellwether_requests_total (below).
  expect(stack.logs.filter((l) => l.includes('request failed inside the sidecar'))).toEqual([]);
  expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(0);

  // Nothing is left in flight inside the sidecar once the apps are done.
  await eventually(async () => metric(await stack.metrics(), 'bellwether_inflight_requests') === 0);
  // The sidecar answered every request an app waited for (an app that gave up may have left first).
  const answered = metric(await stack.metrics(), 'bellwether_requests_total');
  const waitedFor = outcomes.filter((o) => !('aborted' in o)).length;
  expect(answered).toBeGreaterThanOrEqual(waitedFor);
  expect(answered).toBeLessThanOrEqual(N);
});
