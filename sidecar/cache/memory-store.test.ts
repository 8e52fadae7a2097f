import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { MemoryStore } from './memory-store.js';

const bytes = (n: number) => Buffer.alloc(n, 1);

describe('MemoryStore', () => {
  it('expires entries by the clock', async () => {
    const clock = new ManualClock();
    const s = new MemoryStore({ maxEntries: 10, maxBytes: 10_000 }, clock);
    s.set('k', bytes(10), 1000);
    clock.advance(999);
    expect(await s.get('k')).toHaveLength(10);
    clock.advance(1);
    expect(await s.get('k')).toBeUndefined();
    expect(s.stats().entries).toBe(0);
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const s = new MemoryStore({ maxEntries: 2, maxBytes: 10_000 }, new ManualClock());
    s.set('a', bytes(1), 60_000);
    s.set('b', bytes(1), 60_000);
    await s.get('a'); // a is now the most recently used
    s.set('c', bytes(1), 60_000);
    expect(await s.get('b')).toBeUndefined();
    expect(await s.get('a')).toBeDefined();
    expect(await s.get('c')).toBeDefined();
    expect(s.stats().entries).toBe(2);
  });

  it('keeps at most maxBytes (keys and values), and never an entry larger than that', async () => {
    const s = new MemoryStore({ maxEntries: 100, maxBytes: 250 }, new ManualClock());
    for (const k of ['a', 'b', 'c']) s.set(k, bytes(99), 60_000); // 100 bytes each with the key
    expect(s.stats().bytes).toBe(200);
    expect(await s.get('a')).toBeUndefined();
    s.set('huge', bytes(300), 60_000);
    expect(await s.get('huge')).toBeUndefined();
    expect(s.stats().bytes).toBeLessThanOrEqual(250);
  });
});
