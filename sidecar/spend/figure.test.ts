import { describe, expect, it } from 'vitest';
import { encodeFleetSpend, parseFleetSpend } from './figure.js';

describe('the fleet spend annotation', () => {
  it('round-trips, compact, with sorted models and amounts rounded to 1e-6', () => {
    const text = encodeFleetSpend({ day: '2026-12-03', routeUSD: 203.1000000004, models: { 'kimi-k2': 1.5, 'deepseek-chat': 50.2 }, at: '2026-12-03T10:15:20Z' });
    expect(text).toBe('{"day":"2026-12-03","route":203.1,"models":{"deepseek-chat":50.2,"kimi-k2":1.5},"at":"2026-12-03T10:15:20Z"}');
    expect(parseFleetSpend(text)).toEqual({ day: '2026-12-03', routeUSD: 203.1, models: { 'deepseek-chat': 50.2, 'kimi-k2': 1.5 }, at: '2026-12-03T10:15:20Z' });
  });

  it('reads a damaged or foreign value as no figure (the sidecar then acts on its own spend)', () => {
    for (const raw of [undefined, '', 'not json', '{"route":1}', '{"day":"yesterday","route":1}', '{"day":"2026-12-03","route":-1}', '{"day":"2026-12-03","route":"1"}']) {
      expect(parseFleetSpend(raw)).toBeUndefined();
    }
    expect(parseFleetSpend('{"day":"2026-12-03","route":1,"models":{"a":2,"b":"x","c":-1}}')).toEqual({ day: '2026-12-03', routeUSD: 1, models: { a: 2 } });
  });
});
