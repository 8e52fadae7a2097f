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
];

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

  const client = stack.client();
  const outcomes = await Promise.all(
    Array.from({ length: 120 }, async (_, i) => {
      const streamed = i % 2 === 0;
      const ac = new AbortController();
      if (i % 10 === 9) setTimeout(() => ac.abort(), 40); // an app that gives up
      let settled = 0;
      try {
        if (streamed) {
          const s = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }], stream: true }, { signal: ac.signal });
          for await (const _ of s) void _;
        } else {
          await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }] }, { signal: ac.signal });
        }
        settled++;
        return { i, ok: true, settled };
      } catch (err) {
        settled++;
        if (err instanceof OpenAI.APIUserAbortError) return { i, ok: false, aborted: true, settled };
        // Anything else must be an OpenAI-shaped error the SDK understood.
        expect(err).toBeInstanceOf(OpenAI.APIError);
        const e = err as InstanceType<typeof OpenAI.APIError>;
        expect(typeof e.message).toBe('string');
        return { i, ok: false, status: e.status, code: e.code, settled };
      }
    }),
  );
  expect(outcomes).toHaveLength(120);
  expect(outcomes.every((o) => o.settled === 1)).toBe(true);
  expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(0);
  // Nothing is left in flight inside the sidecar once the apps are done.
  await eventually(async () => metric(await stack.metrics(), 'bellwether_inflight_requests') === 0);
});
