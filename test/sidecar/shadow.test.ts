/**
 * spec.shadow over real sockets with the openai SDK: the app only ever sees
 * the official answer, byte for byte, whatever the relay copy does; copies go
 * to the first chain model served traffic could use (budget, context window,
 * breaker) with the relay key after the app's reply started, within the
 * sidecar's memory budget;
 * over maxConcurrent they are skipped and counted; stream and JSON pairs are
 * assembled and judged; relay errors on copies stay out of the rollback
 * window and the breakers; shadow spend is counted apart.
 *
 * "Never delays" is shown by order, not by the clock: the relay's copy is
 * held (gated or stalled) while the app's request completes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_KEY, eventually, metric, startStack, type Spec, type Stack } from './harness.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const ANSWER = 'The capital of France is Paris. It sits on the Seine and has been the capital for centuries.';
const chat = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'What is the capital of France?' }], ...extra });
const chatStream = (extra: Record<string, unknown> = {}) => ({ ...chat(extra), stream: true as const });
const shadowSpec = (shadow: Record<string, unknown> = {}): Spec => ({
  canary: { weight: 0 },
  shadow: { weight: 100, ...shadow },
  retry: { attempts: 0, backoff: { base: '1ms', max: '5ms' } },
  circuitBreaker: { consecutiveFailures: 1, cooldown: '1h' },
  timeouts: { connect: '500ms', firstByte: '2s', idle: '2s', total: '5s' },
});

/** A fixed chat completion, so two replies can be compared byte for byte. */
const OFFICIAL_JSON = JSON.stringify({
  id: 'chatcmpl-fixed',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4.1',
  choices: [{ index: 0, message: { role: 'assistant', content: ANSWER, refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 },
});
const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-fixed', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4.1', choices, ...extra })}\n\n`;
const delta = (d: object, finish: string | null = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
const OFFICIAL_SSE =
  frame(delta({ role: 'assistant', content: '' })) +
  frame(delta({ content: 'The capital of France is Paris. ' })) +
  frame(delta({ content: 'It sits on the Seine and has been the capital for centuries.' })) +
  frame(delta({}, 'stop')) +
  frame([], { usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } }) +
  'data: [DONE]\n\n';

function toolCallJson(name: string, args: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'chatcmpl-tools',
    object: 'chat.completion',
    created: 1700000000,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(args) } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 },
  });
}
function toolCallSse(name: string, argPieces: string[]): string {
  return (
    frame(delta({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name, arguments: '' } }] })) +
    argPieces.map((p) => frame(delta({ tool_calls: [{ index: 0, function: { arguments: p } }] }))).join('') +
    frame(delta({}, 'tool_calls')) +
    'data: [DONE]\n\n'
  );
}
const TOOLS = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

async function shadowDoc(): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (await stack.status()).shadow;
}
async function judged(n: number): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return eventually(async () => {
    const s = await shadowDoc();
    return s.pairs >= n && s.inFlight === 0 ? s : undefined;
  });
}

describe('the app sees only the official answer', () => {
  it('gets the same bytes with and without shadow, JSON and stream; the copy goes to the first chain model with the relay key', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'json', rawBody: OFFICIAL_JSON });
    stack.relay.setDefault({ kind: 'auto', content: ANSWER });
    const client = stack.client();

    const withJson = await (await client.chat.completions.create(chat()).asResponse()).text();
    stack.official.setDefault({ kind: 'json', contentType: 'text/event-stream', rawBody: OFFICIAL_SSE });
    const withSse = await (await client.chat.completions.create(chatStream({ stream_options: { include_usage: true } })).asResponse()).text();
    const s = await judged(2);
    expect(s).toMatchObject({ pairs: 2, equivalent: 2, different: 0, relayErrors: 0, skipped: 0 });

    const copies = stack.relay.requests;
    expect(copies).toHaveLength(2);
    for (const r of copies) {
      expect(r.body.model).toBe('deepseek-chat'); // the first of gpt-4*'s chain
      expect(r.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
      expect(r.body.messages).toEqual(chat().messages);
    }
    expect(copies[1]!.body.stream).toBe(true); // asked as the app asked

    // Shadow off: the same replies, byte for byte.
    stack.writeRoute({ ...shadowSpec(), shadow: undefined }, { generation: 2 });
    await eventually(async () => (await stack.status()).generation === 2);
    stack.official.setDefault({ kind: 'json', rawBody: OFFICIAL_JSON });
    const withoutJson = await (await client.chat.completions.create(chat()).asResponse()).text();
    stack.official.setDefault({ kind: 'json', contentType: 'text/event-stream', rawBody: OFFICIAL_SSE });
    const withoutSse = await (await client.chat.completions.create(chatStream({ stream_options: { include_usage: true } })).asResponse()).text();
    expect(withJson).toBe(OFFICIAL_JSON);
    expect(withJson).toBe(withoutJson);
    expect(withSse).toBe(OFFICIAL_SSE);
    expect(withSse).toBe(withoutSse);
    expect(stack.relay.requests).toHaveLength(2); // no copies without spec.shadow
    expect((await stack.status()).shadow).toBeNull();
  });

  it('completes the app\'s stream while the relay copy is held, then judges the pair once the relay answers', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'sse', content: ANSWER, chunks: 3 });
    stack.relay.setDefault({ kind: 'sse', content: ANSWER, chunks: 5, gated: true });
    const stream = await stack.client().chat.completions.create(chatStream());
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(ANSWER);
    // The app has its whole answer; the relay has the copy and has sent nothing yet.
    const [copy] = await stack.relay.waitForRequests(1);
    expect(copy!.chunksSent).toBe(0);
    expect((await shadowDoc()).inFlight).toBe(1);
    expect((await shadowDoc()).pairs).toBe(0);

    stack.relay.release(100);
    const s = await judged(1);
    expect(s).toMatchObject({ pairs: 1, equivalent: 1 });
    expect(s.window.pairs).toBe(1);
    expect(s.window.counts.at(-1)).toBe(1); // one TTFB sample
  });

  it('answers the app while the copy stalls and fails; the failure is a relay_error pair, never a rollback or breaker input', async () => {
    stack = await startStack(shadowSpec({ maxConcurrent: 4 }));
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'stall' });
    const client = stack.client();
    const res = await client.chat.completions.create(chat()).withResponse();
    expect(res.data.choices[0]!.message.content).toBe(ANSWER);
    expect(res.response.headers.get('x-bellwether-side')).toBe('official');
    await stack.relay.waitForRequests(1);
    expect((await shadowDoc()).inFlight).toBe(1); // answered while the copy is still waiting

    stack.relay.setDefault({ kind: 'status', status: 500 });
    for (let i = 0; i < 3; i++) expect((await client.chat.completions.create(chat())).choices[0]!.message.content).toBe(ANSWER);
    const s = await judged(4); // the stalled one ends at timeouts.firstByte
    expect(s).toMatchObject({ pairs: 4, equivalent: 0, relayErrors: 4 });
    const status = await stack.status();
    expect(status.window.sides.relay).toMatchObject({ requests: 0, failures: 0 });
    expect(status.breakers.filter((b: { state: string }) => b.state !== 'closed')).toEqual([]);
    expect(status.rollback).toBeNull();
    expect(metric(await stack.metrics(), 'bellwether_shadow_pairs_total', { model: 'deepseek-chat', verdict: 'relay_error' })).toBe(4);
  });
});

describe('what is copied', () => {
  it('skips and counts copies over maxConcurrent, never queueing them', async () => {
    stack = await startStack(shadowSpec({ maxConcurrent: 1 }));
    stack.official.setDefault({ kind: 'sse', content: ANSWER });
    stack.relay.setDefault({ kind: 'sse', content: ANSWER, gated: true });
    const client = stack.client();
    await client.chat.completions.create(chatStream()).then(async (s) => {
      for await (const _ of s);
    });
    await stack.relay.waitForRequests(1);
    for (let i = 0; i < 3; i++) await client.chat.completions.create(chatStream()).then(async (s) => {
      for await (const _ of s);
    });
    expect((await shadowDoc()).skipped).toBe(3);
    expect(metric(await stack.metrics(), 'bellwether_shadow_skipped_total', { reason: 'max_concurrent' })).toBe(3);
    stack.relay.release(100);
    const s = await judged(1);
    expect(s).toMatchObject({ pairs: 1, skipped: 3 });
    expect(stack.relay.requests).toHaveLength(1);
  });

  it('copies only requests the official side was picked for and that carry no state: not stored chats, not embeddings, not relay-routed ones', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'auto', content: ANSWER });
    stack.relay.setDefault({ kind: 'auto', content: ANSWER });
    const client = stack.client();
    await client.chat.completions.create(chat({ store: true }));
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(stack.relay.requests).toHaveLength(0);

    stack.writeRoute({ ...shadowSpec(), canary: { weight: 100 } }, { generation: 2 });
    await eventually(async () => (await stack.status()).generation === 2);
    const res = await client.chat.completions.create(chat()).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    expect(stack.relay.requests).toHaveLength(1); // the served request only, no copy
    expect((await shadowDoc()).pairs).toBe(0);
  });

  it('counts shadow spend apart from served cost and savings', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'json', content: ANSWER });
    await stack.client().chat.completions.create(chat());
    const s = await judged(1);
    expect(s.costUSD).toBeGreaterThan(0);
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_shadow_cost_usd_total', { model: 'deepseek-chat' })).toBeCloseTo(s.costUSD, 6);
    expect(metric(m, 'bellwether_cost_usd_total', { side: 'relay' })).toBe(0);
    expect(metric(m, 'bellwether_savings_usd_total')).toBe(0);
    const status = await stack.status();
    expect(status.totals.savingsUSD).toBe(0);
    expect(status.totals.costUSD).toBeCloseTo(metric(m, 'bellwether_cost_usd_total', { side: 'official' }), 6);
  });
});

describe('which chain model a copy may use', () => {
  const models = () => stack.relay.requests.map((r) => r.body?.model);
  const skipped = async (reason: string) => metric(await stack.metrics(), 'bellwether_shadow_skipped_total', { reason });
  const settled = (n: number) => eventually(async () => {
    const s = await shadowDoc();
    return s.pairs + s.skipped >= n && s.inFlight === 0 ? s : undefined;
  });
  const priced = { input: 100_000, output: 200_000 }; // per 1M tokens: one fake reply costs dollars
  const pricedCatalog = ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1'].map((name) => ({ name, contextWindow: name === 'deepseek-chat' ? 64000 : name === 'kimi-k2' ? 128000 : 1000000, price: priced }));

  it('sends no copy to a model budget action block has stopped: the next chain model gets it, and none when every model is over its cap', async () => {
    // The operator's fleet figure (which rides with its effective weight) says each named model has spent $5 of its $1 today.
    const capped = (names: string[]) => ({ ...shadowSpec(), budget: { models: names.map((name) => ({ name, daily: 1 })), action: 'block' as const } });
    const spent = (names: string[], generation: number) => ({
      generation,
      annotations: { 'bellwether.dev/effective-weight': '0', 'bellwether.dev/budget-spent': JSON.stringify({ day: new Date().toISOString().slice(0, 10), route: 5 * names.length, models: Object.fromEntries(names.map((n) => [n, 5])) }) },
    });
    const over = (names: string[]) => eventually(async () => {
      const models = (await stack.status()).budget.models as { name: string; exhausted: boolean }[];
      return names.every((n) => models.some((m) => m.name === n && m.exhausted));
    });
    stack = await startStack(capped(['deepseek-chat']));
    stack.writeRoute(capped(['deepseek-chat']), spent(['deepseek-chat'], 2));
    await over(['deepseek-chat']);
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'json', content: ANSWER });
    await stack.client().chat.completions.create(chat());
    await judged(1);
    expect(models()).toEqual(['kimi-k2']);
    expect(metric(await stack.metrics(), 'bellwether_shadow_pairs_total', { model: 'kimi-k2' })).toBe(1);

    const all = ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash'];
    stack.writeRoute(capped(all), spent(all, 3));
    await over(all);
    const res = await stack.client().chat.completions.create(chat());
    expect(res.choices[0]!.message.content).toBe(ANSWER); // the app is served by the official API as before
    await settled(2);
    expect(await skipped('budget')).toBe(1);
    expect(models()).toEqual(['kimi-k2']); // no new copy
  });

  it('sends no copy once the route is over its daily cap under action block, for requests admitted before the cap was reached', async () => {
    stack = await startStack({ ...shadowSpec(), catalog: pricedCatalog, budget: { daily: 1, action: 'block' } });
    stack.relay.setDefault({ kind: 'auto', content: ANSWER });
    stack.official.enqueue({ kind: 'sse', content: ANSWER, gated: true }, { kind: 'json', content: ANSWER });
    const client = stack.client();
    // A is admitted under the cap and held by the official API before its first event.
    const a = (async () => {
      let text = '';
      for await (const chunk of await client.chat.completions.create(chatStream())) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    })();
    await stack.official.waitForRequests(1);
    // B is served and its cost (at these prices, dollars) puts the route over its $1 cap.
    await client.chat.completions.create(chat());
    await eventually(async () => (await stack.status()).budget.route.exhausted === true);
    stack.official.release(100);
    expect(await a).toBe(ANSWER);
    await settled(2);
    // Copies are picked after the app's reply is written: B's own cost, recorded with its reply,
    // already put the route over its cap, so B's copy is not sent either.
    expect(await skipped('budget')).toBe(2);
    expect(stack.relay.requests).toHaveLength(0);
  });

  it('counts shadow spend toward the daily caps, so a model capped by its copies alone is no longer copied to', async () => {
    stack = await startStack({ ...shadowSpec(), catalog: pricedCatalog, budget: { models: [{ name: 'deepseek-chat', daily: 1 }], action: 'block' } });
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'json', content: ANSWER });
    await stack.client().chat.completions.create(chat());
    const first = await judged(1);
    const status = await stack.status();
    const line = status.budget.models.find((m: { name: string }) => m.name === 'deepseek-chat');
    expect(line.spentUSD).toBeCloseTo(first.costUSD, 6);
    expect(line.exhausted).toBe(true);
    expect(status.budget.own.models['deepseek-chat']).toBeCloseTo(first.costUSD, 6);
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_cost_usd_total', { side: 'relay' })).toBe(0); // still reported apart from served cost
    expect(metric(m, 'bellwether_shadow_cost_usd_total', { model: 'deepseek-chat' })).toBeCloseTo(first.costUSD, 6);

    await stack.client().chat.completions.create(chat());
    await judged(2);
    expect(models()).toEqual(['deepseek-chat', 'kimi-k2']);
  });

  it('sends a long prompt to the first chain model whose context window fits it, and skips it when none does', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'json', content: ANSWER });
    const prompt = (tokens: number) => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'word '.repeat(Math.ceil((tokens * 4) / 5)) }] });
    await stack.client().chat.completions.create(prompt(80_000)); // over deepseek-chat's 64000
    await stack.client().chat.completions.create(prompt(200_000)); // over kimi-k2's 128000 too
    const s = await judged(2);
    expect(models()).toEqual(['kimi-k2', 'gemini-2.5-flash']);
    expect(s).toMatchObject({ pairs: 2, equivalent: 2, relayErrors: 0 });
    expect(metric(await stack.metrics(), 'bellwether_shadow_pairs_total', { model: 'deepseek-chat' })).toBe(0);

    await stack.client().chat.completions.create({ ...prompt(200_000), model: 'o3' }); // the '*' rule: kimi-k2 only
    await stack.client().chat.completions.create(prompt(2_000_000));
    await settled(4);
    expect(await skipped('context')).toBe(2);
    expect(models()).toEqual(['kimi-k2', 'gemini-2.5-flash']);
  });

  it('passes over a model whose breaker is open, without taking its probe or creating breakers', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'json', content: ANSWER });
    const breakers = stack.sidecar.runtime().breakers;
    const deepseek = breakers.get('relay', 'deepseek-chat');
    deepseek.onFailure(deepseek.tryAcquire()!); // consecutiveFailures 1: open for 1h
    expect(deepseek.state).toBe('open');
    await stack.client().chat.completions.create(chat());
    await judged(1);
    expect(models()).toEqual(['kimi-k2']);
    expect(breakers.snapshot().map((b) => b.model)).toEqual(['deepseek-chat']); // read only: no breaker made for kimi-k2

    await stack.client().chat.completions.create({ ...chat(), model: 'o3' }); // the '*' rule: kimi-k2 only
    const kimi = breakers.get('relay', 'kimi-k2');
    kimi.onFailure(kimi.tryAcquire()!);
    await stack.client().chat.completions.create({ ...chat(), model: 'o3' });
    await settled(3);
    expect(await skipped('circuit_open')).toBe(1);
    expect(models()).toEqual(['kimi-k2', 'kimi-k2']);
  });
});

describe('memory', () => {
  const body = (n: number) => ({ ...chat(), messages: [{ role: 'user' as const, content: 'x'.repeat(n) }] });

  it('holds a copy\'s bytes in the sidecar memory budget until its pair is judged, and skips copies it has no room for', async () => {
    // 200 KB for everything in flight, of which copies may fill 100 KB (BACKGROUND_SHARE): one 30 KB
    // request is fine, its copy holds 60 KB (the body and its rewrite); a second copy would pass 100 KB.
    stack = await startStack(shadowSpec(), { maxBufferedBytes: 200_000 });
    stack.official.setDefault({ kind: 'sse', content: ANSWER });
    stack.relay.setDefault({ kind: 'sse', content: ANSWER, gated: true });
    const client = stack.client();
    const read = async () => {
      let text = '';
      for await (const chunk of await client.chat.completions.create({ ...body(30_000), stream: true })) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    expect(await read()).toBe(ANSWER);
    await stack.relay.waitForRequests(1);
    // The first copy is held at the relay: the second request is served, its copy finds no room.
    expect(await read()).toBe(ANSWER);
    await eventually(async () => metric(await stack.metrics(), 'bellwether_shadow_skipped_total', { reason: 'overloaded' }) === 1);
    expect(stack.relay.requests).toHaveLength(1);
    stack.relay.release(100);
    await judged(1);
    // Judged and released: the next copy has room again.
    expect(await read()).toBe(ANSWER);
    const s = await judged(2);
    expect(s).toMatchObject({ pairs: 2, equivalent: 2, skipped: 1 });
  });
});

describe('the judge on real replies', () => {
  it('assembles streamed pairs and tells a different answer from the same one', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'sse', content: ANSWER, chunks: 2 });
    stack.relay.enqueue({ kind: 'sse', content: ANSWER, chunks: 7 }, { kind: 'sse', content: 'I am sorry, but I cannot help with that.', chunks: 3 });
    const client = stack.client();
    for (let i = 0; i < 2; i++) {
      const s = await client.chat.completions.create(chatStream());
      for await (const _ of s);
      await judged(i + 1);
    }
    const s = await judged(2);
    expect(s).toMatchObject({ pairs: 2, equivalent: 1, different: 1 });
    const m = await stack.metrics();
    expect(metric(m, 'bellwether_shadow_pairs_total', { verdict: 'equivalent' })).toBe(1);
    expect(metric(m, 'bellwether_shadow_pairs_total', { verdict: 'different' })).toBe(1);
    expect(metric(m, 'bellwether_shadow_ttfb_seconds_count', { model: 'deepseek-chat' })).toBe(2);
  });

  it('assembles a long streamed answer whole, though it is parsed a slice at a time (over 64 KiB of events)', async () => {
    // At minSimilarity 0.99 only the whole text passes: the first slice's text alone would score about 0.9.
    stack = await startStack(shadowSpec({ minSimilarity: 0.99 }));
    const long = ANSWER.repeat(200) + ' Then the answer turns to something else: rivers, bridges, museums, cafés. '.repeat(120);
    stack.official.setDefault({ kind: 'sse', content: long, chunks: 600 });
    stack.relay.enqueue({ kind: 'sse', content: long, chunks: 40 }, { kind: 'sse', content: ANSWER.repeat(200), chunks: 40 });
    const client = stack.client();
    const pair = async (): Promise<void> => {
      const s = await client.chat.completions.create(chatStream());
      for await (const _ of s);
    };
    // The first pair is the same long answer on both sides: equivalent only if the app's side was assembled whole.
    await pair();
    expect(await judged(1)).toMatchObject({ pairs: 1, equivalent: 1, different: 0 });
    await pair();
    expect(await judged(2)).toMatchObject({ pairs: 2, equivalent: 1, different: 1 });
  });

  it('detects a tool-call mismatch, JSON and streamed, and passes the same call with other argument values', async () => {
    stack = await startStack(shadowSpec());
    const client = stack.client();
    stack.official.setDefault({ kind: 'json', rawBody: toolCallJson('get_weather', { city: 'Paris' }) });
    stack.relay.enqueue(
      { kind: 'json', rawBody: toolCallJson('get_weather', { city: 'Lyon' }) }, // same call, other value: equivalent
      { kind: 'json', rawBody: toolCallJson('get_weather', { location: 'Paris' }) }, // other argument keys
    );
    for (let i = 0; i < 2; i++) {
      const r = await client.chat.completions.create(chat({ tools: TOOLS }));
      expect((r.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }).function.arguments).toBe('{"city":"Paris"}');
      await judged(i + 1);
    }
    expect(await judged(2)).toMatchObject({ equivalent: 1, different: 1 });

    stack.official.setDefault({ kind: 'json', contentType: 'text/event-stream', rawBody: toolCallSse('get_weather', ['{"ci', 'ty":"Paris"}']) });
    stack.relay.enqueue(
      { kind: 'json', contentType: 'text/event-stream', rawBody: toolCallSse('get_weather', ['{"city"', ':"Nice"}']) },
      { kind: 'json', contentType: 'text/event-stream', rawBody: toolCallSse('search_web', ['{"city":"Paris"}']) },
    );
    for (let i = 0; i < 2; i++) {
      const s = await client.chat.completions.create(chatStream({ tools: TOOLS }));
      for await (const _ of s);
      await judged(3 + i);
    }
    expect(await judged(4)).toMatchObject({ pairs: 4, equivalent: 2, different: 2, relayErrors: 0 });
  });
});

describe('the other text endpoints', () => {
  it('pairs completions and Responses API calls (store: false), JSON and streamed', async () => {
    stack = await startStack(shadowSpec());
    stack.official.setDefault({ kind: 'auto', content: ANSWER });
    stack.relay.setDefault({ kind: 'auto', content: ANSWER });
    const client = stack.client();
    await client.completions.create({ model: 'gpt-4o', prompt: 'capital of France?' });
    const s1 = await client.completions.create({ model: 'gpt-4o', prompt: 'capital of France?', stream: true });
    for await (const _ of s1);
    await client.responses.create({ model: 'gpt-4o', input: 'capital of France?', store: false });
    const s2 = await client.responses.create({ model: 'gpt-4o', input: 'capital of France?', store: false, stream: true });
    for await (const _ of s2);
    await client.responses.create({ model: 'gpt-4o', input: 'capital of France?' }); // stored: pinned to official, not copied
    expect(await judged(4)).toMatchObject({ pairs: 4, equivalent: 4 });
    expect(stack.relay.requests.map((r) => r.path)).toEqual(['/v1/completions', '/v1/completions', '/v1/responses', '/v1/responses']);
  });
});

describe('shutdown', () => {
  it('aborts a copy in flight and counts it as skipped, not as a relay error', async () => {
    stack = await startStack(shadowSpec({ maxConcurrent: 4 }));
    stack.official.setDefault({ kind: 'json', content: ANSWER });
    stack.relay.setDefault({ kind: 'stall' });
    await stack.client().chat.completions.create(chat());
    const [copy] = await stack.relay.waitForRequests(1);
    const book = stack.sidecar.runtime().shadow;
    expect(book.inFlight).toBe(1);
    await stack.sidecar.close();
    await copy!.closed;
    await eventually(() => book.totals.skipped === 1);
    expect(book.totals).toMatchObject({ pairs: 0, relayErrors: 0, skipped: 1 });
    expect(book.inFlight).toBe(0);
    expect(copy!.aborted).toBe(true);
  });
});
