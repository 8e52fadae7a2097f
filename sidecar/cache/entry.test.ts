import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, framesOf, type EntryMeta } from './entry.js';

const meta: EntryMeta = { v: 1, wire: 'sse', status: 200, contentType: 'text/event-stream', side: 'relay', model: 'kimi-k2', storedAt: 5, frames: [] };

describe('entry encoding', () => {
  it('round-trips a stream event for event', () => {
    const frames = [Buffer.from('data: {"a":1}\n\n'), Buffer.from('data: [DONE]\r\n\r\n')];
    const e = decodeEntry(encodeEntry({ ...meta, frames: frames.map((f) => f.length) }, frames));
    expect(e?.meta.model).toBe('kimi-k2');
    expect(framesOf(e!).map(String)).toEqual(frames.map(String));
  });

  it('round-trips a JSON body with usage and cost', () => {
    const body = Buffer.from('{"id":"x"}');
    const e = decodeEntry(encodeEntry({ ...meta, wire: 'json', frames: undefined, usage: { input: 1, output: 2, cachedInput: 0 }, costUSD: 0.5 }, [body]));
    expect(e?.payload.toString()).toBe('{"id":"x"}');
    expect(e?.meta.costUSD).toBe(0.5);
  });

  it('refuses bytes it did not write (a miss, not a crash)', () => {
    expect(decodeEntry(Buffer.from('hello'))).toBeUndefined();
    expect(decodeEntry(Buffer.alloc(2))).toBeUndefined();
    const lying = encodeEntry({ ...meta, frames: [100] }, [Buffer.from('data: x\n\n')]);
    expect(decodeEntry(lying)).toBeUndefined();
    const other = encodeEntry({ ...meta, v: 2 as 1 }, []);
    expect(decodeEntry(other)).toBeUndefined();
  });
});
