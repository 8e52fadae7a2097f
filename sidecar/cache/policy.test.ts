import { describe, expect, it } from 'vitest';
import { cacheDirective, notCacheable } from './policy.js';
import type { CachePolicy } from './spec.js';

const policy: CachePolicy = { ttlMs: 3_600_000, maxEntries: 10, maxBytes: 1 << 20, maxEntryBytes: 1 << 16, backend: 'memory' };

describe('cacheDirective', () => {
  it.each<[string | string[] | undefined, ReturnType<typeof cacheDirective>]>([
    [undefined, { read: true, write: true }],
    ['no-cache', { read: false, write: true }],
    ['No-Store', { read: false, write: false }],
    ['no-cache, no-store', { read: false, write: false }],
    ['max-age=0', { read: false, write: true }],
    ['max-age=60', { read: true, write: true, maxAgeMs: 60_000 }],
    [['max-age=60', 'max-age=30'], { read: true, write: true, maxAgeMs: 30_000 }],
    ['max-age=soon', { read: true, write: true }],
    ['private', { read: true, write: true }],
  ])('%s', (header, expected) => {
    expect(cacheDirective(header)).toEqual(expected);
  });
});

describe('notCacheable', () => {
  it('bypasses stateful requests', () => {
    expect(notCacheable('responses', { model: 'm' }, policy, 'responses_stored')).toBe('stateful');
  });

  it('caches any temperature without maxTemperature', () => {
    expect(notCacheable('chat_completions', { temperature: 1.5 }, policy, undefined)).toBeUndefined();
  });

  it('with maxTemperature, bypasses hotter requests; no temperature counts as 1; embeddings always pass', () => {
    const cold = { ...policy, maxTemperature: 0 };
    expect(notCacheable('chat_completions', { temperature: 0 }, cold, undefined)).toBeUndefined();
    expect(notCacheable('chat_completions', { temperature: 0.2 }, cold, undefined)).toBe('temperature');
    expect(notCacheable('chat_completions', {}, cold, undefined)).toBe('temperature');
    expect(notCacheable('chat_completions', {}, { ...policy, maxTemperature: 1 }, undefined)).toBeUndefined();
    expect(notCacheable('embeddings', {}, cold, undefined)).toBeUndefined();
  });
});
