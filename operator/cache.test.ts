import { describe, expect, it } from 'vitest';
import { addCache } from './cache.js';

const pod = { backend: 'redis', state: 'ready', ttlMs: 1, hits: 3, misses: 1, bypasses: 2, errors: 1, stores: 1, droppedWrites: 0, entries: null, bytes: null, savingsUSD: 0.5 };

describe('addCache', () => {
  it('adds pods and computes the hit rate from the sums, never an average', () => {
    const sum = [pod, { ...pod, hits: 0, misses: 4, savingsUSD: 0.25 }].reduce(addCache, undefined);
    expect(sum).toEqual({ hits: 3, misses: 5, bypasses: 4, errors: 2, hitRate: 3 / 10, savingsUSD: 0.75 });
  });

  it('is undefined while no pod has a cache, and ignores pods without one or with junk', () => {
    expect([null, undefined].reduce(addCache, undefined)).toBeUndefined();
    expect(addCache(undefined, { ...pod, hits: -1, misses: Number.NaN } as never)).toMatchObject({ hits: 0, misses: 0, hitRate: 0 });
  });
});
