import { describe, expect, it } from 'vitest';
import { recordingTap, type RecordTarget } from './recorder.js';
import { decodeEntry, framesOf } from './entry.js';

function target(wire: 'json' | 'sse', over: Partial<RecordTarget> = {}) {
  const stored: Buffer[] = [];
  let held = 0;
  const t: RecordTarget = {
    meta: { wire, status: 200, contentType: wire === 'sse' ? 'text/event-stream' : 'application/json', side: 'relay', model: 'kimi-k2' },
    endpoint: 'chat_completions',
    price: { input: 1, output: 2 },
    maxEntryBytes: 1024,
    now: () => 42,
    put: (b) => stored.push(b),
    hold: (n) => ((held += n), true),
    free: (n) => (held -= n),
    ...over,
  };
  return { t, stored, held: () => held };
}

const ev = (data: string) => Buffer.from(`data: ${data}\n\n`);
const usageChunk = ev('{"choices":[],"usage":{"prompt_tokens":1000000,"completion_tokens":1000000}}');

describe('recordingTap: JSON', () => {
  it('stores a complete JSON object with its usage and cost', () => {
    const { t, stored } = target('json');
    const tap = recordingTap(t);
    tap.body?.(200, Buffer.from('{"id":"a","usage":{"prompt_tokens":1000000,"completion_tokens":1000000}}'));
    tap.end(true);
    const e = decodeEntry(stored[0]!);
    expect(e?.meta).toMatchObject({ wire: 'json', storedAt: 42, costUSD: 3, usage: { input: 1_000_000, output: 1_000_000 } });
  });

  it('stores nothing incomplete, over the size cap, or not a JSON object', () => {
    for (const [body, complete, max] of [['{"a":1}', false, 1024], ['{"a":1}', true, 3], ['<html>', true, 1024]] as const) {
      const { t, stored } = target('json', { maxEntryBytes: max });
      const tap = recordingTap(t);
      tap.body?.(200, Buffer.from(body));
      tap.end(complete);
      expect(stored).toEqual([]);
    }
  });
});

describe('recordingTap: streams', () => {
  it('stores the data events (not comments) with the usage chunk, and gives the held bytes back', () => {
    const { t, stored, held } = target('sse');
    const tap = recordingTap(t);
    for (const f of [Buffer.from(': keep-alive\n\n'), ev('{"choices":[{"delta":{"content":"hi"}}]}'), usageChunk, ev('[DONE]')]) tap.event?.(f);
    expect(held()).toBeGreaterThan(0);
    tap.end(true);
    expect(held()).toBe(0);
    const e = decodeEntry(stored[0]!)!;
    expect(framesOf(e).map(String)).toEqual([ev('{"choices":[{"delta":{"content":"hi"}}]}'), usageChunk, ev('[DONE]')].map(String));
    expect(e.meta.costUSD).toBe(3);
  });

  it('stores no stream with an error event, nor a failed response, nor one cut short', () => {
    const cases: Array<[Buffer[], boolean, RecordTarget['endpoint']]> = [
      [[ev('{"choices":[]}'), ev('{"error":{"message":"x"}}'), ev('[DONE]')], true, 'chat_completions'],
      [[ev('{"type":"response.failed","response":{"usage":null}}')], true, 'responses'],
      [[ev('{"choices":[{"delta":{"content":"hi"}}]}')], false, 'chat_completions'],
    ];
    for (const [frames, complete, endpoint] of cases) {
      const { t, stored, held } = target('sse', { endpoint });
      const tap = recordingTap(t);
      frames.forEach((f) => tap.event?.(f));
      tap.end(complete);
      expect(stored).toEqual([]);
      expect(held()).toBe(0);
    }
  });

  it('stops recording past maxEntryBytes or when the memory budget is out of room', () => {
    for (const over of [{ maxEntryBytes: 40 }, { hold: (n: number) => n < 30 }]) {
      const { t, stored } = target('sse', over);
      let held = 0;
      const tap = recordingTap({ ...t, hold: (n) => (over.hold ? over.hold(n) && ((held += n), true) : ((held += n), true)), free: (n) => (held -= n) });
      for (const f of [ev('{"choices":[]}'), ev('{"choices":[{"delta":{"content":"a longer one"}}]}'), ev('[DONE]')]) tap.event?.(f);
      tap.end(true);
      expect(stored).toEqual([]);
      expect(held).toBe(0);
    }
  });
});
