/**
 * The pair's life between the draw and the pick, on a real Runtime and memory
 * budget: what is sent, counted and held when the pick drops a copy. The
 * connection pools are a stand-in that counts what would be sent (the copy
 * over real sockets is test/sidecar/shadow.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Runtime } from '../runtime.js';
import { Metrics } from '../admin/metrics.js';
import { ManualClock } from '../clock.js';
import { createLogger } from '../log.js';
import { loadRouteText } from '../config/compile.js';
import { ByteBudget } from '../proxy/budget.js';
import type { Committed } from '../proxy/attempts.js';
import type { UpstreamPools } from '../proxy/pools.js';
import type { ReplyTap } from '../proxy/tap.js';
import { shadowTap } from './pair.js';
import { MAX_COPY_BYTES } from './copy.js';
import { afterPendingIO } from './later.js';

const ROUTE = `
apiVersion: bellwether.dev/v1alpha1
kind: RelayRoute
metadata: {name: shop}
spec:
  official: {baseURL: "http://official.internal/v1"}
  relay: {baseURL: "http://relay.internal/v1", apiKeySecretRef: {name: relay, key: key}}
  models: [{match: ["*"], chain: [deepseek-chat]}]
  catalog: [{name: deepseek-chat, price: {input: 1000, output: 2000}}]
  shadow: {weight: 100, maxConcurrent: 1}
`;

interface Rig {
  rt: Runtime;
  budget: ByteBudget;
  /** Copies that reached the connection pools. */
  sent: () => number;
  tap: (reply: 'json' | 'sse') => ReplyTap;
  skipped: (reason: string) => Promise<number>;
}

/**
 * What the stand-in pool does with a copy: refuse it at once (`refuse`), hold it until it is
 * aborted (`hang`), or answer it (`answer`, of content `type`), through undici's handler calls.
 */
type Relay = 'refuse' | 'hang' | { answer: string; type: string };

function rig(budgetBytes = 1_000_000, relay: Relay = 'refuse'): Rig {
  const loaded = loadRouteText(ROUTE);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const metrics = new Metrics();
  const rt = new Runtime(loaded.route, { clock: new ManualClock(), random: () => 0, metrics, log: createLogger('silent') });
  rt.keys = { relay: 'sk-relay-test' };
  let sent = 0;
  interface Handler {
    onConnect(abort: (err?: Error) => void): void;
    onHeaders(status: number, raw: Buffer[], resume: () => void): boolean;
    onData(chunk: Buffer): boolean;
    onComplete(trailers: Buffer[]): void;
  }
  const pools = {
    dispatcher: () => {
      sent++;
      if (relay === 'refuse') throw new Error('no upstream in this test');
      return {
        dispatch(_opts: unknown, h: Handler): boolean {
          h.onConnect(() => undefined);
          if (relay === 'hang') return true;
          h.onHeaders(200, [Buffer.from('content-type'), Buffer.from(relay.type)], () => undefined);
          h.onData(Buffer.from(relay.answer));
          h.onComplete([]);
          return true;
        },
      };
    },
  } as unknown as UpstreamPools;
  const budget = new ByteBudget(budgetBytes);
  const raw = Buffer.from(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello' }] }));
  const tap = (reply: 'json' | 'sse'): ReplyTap => {
    const committed = { kind: 'committed', candidate: { side: 'official', model: 'gpt-4o' }, status: 200, headers: {}, reply: { kind: reply } } as unknown as Committed;
    const t = shadowTap(rt, pools, {
      endpoint: 'chat_completions',
      rule: loaded.route.models[0],
      pinned: undefined,
      relayRouted: false,
      committed,
      appPath: '/v1/chat/completions',
      appHeaders: {},
      raw,
      body: JSON.parse(raw.toString()) as Record<string, unknown>,
      stream: reply === 'sse',
      ledger: budget.ledger(),
    });
    if (!t) throw new Error('the request was not drawn');
    return t;
  };
  const skipped = async (reason: string): Promise<number> => (await metrics.registry.getSingleMetric('bellwether_shadow_skipped_total')?.get())?.values.find((v) => v.labels['reason'] === reason)?.value ?? 0;
  return { rt, budget, sent: () => sent, tap, skipped };
}

/** Nothing was sent, the copy was counted as skipped for `reason`, and its bytes are back in the budget. */
async function noCopy(r: Rig, reason: string): Promise<void> {
  expect(r.sent()).toBe(0);
  expect(await r.skipped(reason)).toBe(1);
  expect(r.budget.used).toBe(0);
}

const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await afterPendingIO();
};
const event = (text: string): Buffer => Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`);

describe('between the draw and the pick', () => {
  it('holds the app\'s body and its rewrite on the memory budget from the draw on', () => {
    const r = rig();
    r.tap('sse');
    expect(r.budget.used).toBeGreaterThan(0);
  });

  it('sends no copy for a stream cut before the pick, and counts it as official_incomplete', async () => {
    const r = rig();
    const t = r.tap('sse');
    t.event?.(event('hel'));
    t.end(false); // cut in the same turn: the pick has not run yet
    await turns();
    expect(r.sent()).toBe(0);
    expect(await r.skipped('official_incomplete')).toBe(1);
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
  });

  it('lets go of the reply and its bytes when the pick drops the copy, and ignores the rest of the stream', async () => {
    const r = rig();
    const other = r.rt.shadow.admit(1); // maxConcurrent: 1, taken
    if (typeof other === 'string') throw new Error(other);
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    expect(await r.skipped('max_concurrent')).toBe(1);
    expect(r.budget.used).toBe(0);
    for (let i = 0; i < 100; i++) t.event?.(event('lo'));
    t.end(true);
    await turns();
    expect(r.budget.used).toBe(0);
    expect(r.sent()).toBe(0);
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 0, skipped: 1 });
    other.release();
  });

  it('sends no copy when the app\'s JSON reply is over the shadow cap', async () => {
    const r = rig();
    const t = r.tap('json');
    t.body?.(200, Buffer.alloc(MAX_COPY_BYTES + 1, 0x20));
    t.end(true);
    await turns();
    await noCopy(r, 'too_large');
  });

  it('counts a copy as shutdown when the sidecar began stopping before the pick', async () => {
    const r = rig();
    const t = r.tap('json');
    r.rt.shadow.abortAll();
    t.body?.(200, Buffer.from('{}'));
    t.end(true);
    await turns();
    await noCopy(r, 'shutdown');
  });

  it('counts a pick that throws as an error, and lets go of what it held', async () => {
    const r = rig();
    r.rt.breakers.peek = () => {
      throw new Error('breaker table broken');
    };
    const t = r.tap('json');
    t.body?.(200, Buffer.from('{}'));
    t.end(true);
    await turns();
    await noCopy(r, 'error');
  });
});

describe('after the pick', () => {
  it('abandons the copy when the app\'s stream outgrows the cap, freeing its slot and bytes before the stream ends', async () => {
    const r = rig(64 * 1024 * 1024);
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    expect(r.sent()).toBe(1);
    const big = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 5; i++) t.event?.(big);
    await turns();
    expect(await r.skipped('too_large')).toBe(1);
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
    t.event?.(event('more'));
    t.end(true); // the app's stream ends later: nothing more is counted
    await turns();
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 0, skipped: 1 });
    expect(r.budget.used).toBe(0);
  });

  it('abandons the copy when the memory budget has no room for the app\'s next event', async () => {
    const r = rig(); // copies may hold 500 kB
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    t.event?.(Buffer.alloc(600_000, 0x20));
    await turns();
    expect(await r.skipped('overloaded')).toBe(1);
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
    t.end(true);
    await turns();
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 0, skipped: 1 });
  });

  it('stops a copy still in flight when the app\'s stream is cut, counting it once', async () => {
    const r = rig(1_000_000, 'hang');
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    expect(r.rt.shadow.inFlight).toBe(1);
    t.end(false);
    await turns();
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(await r.skipped('official_incomplete')).toBe(1);
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 0, skipped: 1 });
    expect(r.budget.used).toBe(0);
  });

  it('stops a copy still in flight when the stream outgrows the cap, freeing its slot before the stream ends', async () => {
    const r = rig(64 * 1024 * 1024, 'hang');
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    for (let i = 0; i < 5; i++) t.event?.(Buffer.alloc(1024 * 1024, 0x20));
    await turns();
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(await r.skipped('too_large')).toBe(1);
    expect(r.budget.used).toBe(0);
  });

  it('counts a copy stopped by shutdown as shutdown', async () => {
    const r = rig(1_000_000, 'hang');
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    r.rt.shadow.abortAll();
    t.end(true);
    await turns(10);
    expect(await r.skipped('shutdown')).toBe(1);
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
  });

  it('records what a copy cost though its pair is not judged (the app\'s reply was cut)', async () => {
    // The copy of a stream asks for a stream: the relay answers one, its usage in the last chunk.
    const answer = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: 'hello' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
    const r = rig(1_000_000, { answer, type: 'text/event-stream' });
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    t.end(false);
    await turns();
    expect(await r.skipped('official_incomplete')).toBe(1);
    // 1,000 input tokens at $1,000 per 1M and 500 output at $2,000 per 1M
    expect(r.rt.shadow.totals.costUSD).toBeCloseTo(2, 9);
    expect(r.rt.spend.own.snapshot().routeUSD).toBeCloseTo(2, 9);
  });

  it('records what a copy was billed for when its stream fails after the usage chunk (a relay_error pair)', async () => {
    const answer = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: 'hel' }, finish_reason: null }] },
      { choices: [], usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join(''); // no final event: the stream was cut
    const r = rig(1_000_000, { answer, type: 'text/event-stream' });
    const t = r.tap('sse');
    t.event?.(event('hello'));
    t.event?.(Buffer.from('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'));
    t.end(true);
    await turns(10);
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 1, relayErrors: 1 });
    expect(r.rt.shadow.totals.costUSD).toBeCloseTo(2, 9);
  });

  it('counts a stream cut after the pick as official_incomplete, once', async () => {
    const r = rig();
    const t = r.tap('sse');
    t.event?.(event('hel'));
    await turns();
    t.end(false);
    await turns();
    expect(await r.skipped('official_incomplete')).toBe(1);
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 0, skipped: 1 });
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
  });

  it('picks a copy for a complete reply and frees its slot and bytes once it is judged', async () => {
    const r = rig();
    const t = r.tap('json');
    t.body?.(200, Buffer.from(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }] })));
    t.end(true);
    await turns(10);
    expect(r.sent()).toBe(1); // the stand-in pool refuses it: a relay_error pair
    expect(r.rt.shadow.totals).toMatchObject({ pairs: 1, relayErrors: 1, skipped: 0 });
    expect(r.rt.shadow.inFlight).toBe(0);
    expect(r.budget.used).toBe(0);
  });
});
