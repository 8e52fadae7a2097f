import { describe, expect, it } from 'vitest';
import { planAttempts } from './plan.js';
import type { ModelRule, Route } from '../config/route.js';

const rule: ModelRule = { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' };
const route = (fallbackToOfficial = true): Route =>
  ({
    canary: { weight: 50, fallbackToOfficial },
    catalog: new Map([
      ['deepseek-chat', { name: 'deepseek-chat', contextWindow: 1000 }],
      ['kimi-k2', { name: 'kimi-k2', contextWindow: 5000 }],
    ]),
  }) as unknown as Route;
const body = (maxTokens: number) => ({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: maxTokens });

describe('planAttempts', () => {
  it('relay: the chain in order, then official under the rename', () => {
    expect(planAttempts(route(), rule, 'gpt-4o', 'relay', body(10))).toEqual({
      candidates: [
        { side: 'relay', model: 'deepseek-chat' },
        { side: 'relay', model: 'kimi-k2' },
        { side: 'official', model: 'gpt-4.1' },
      ],
      relayRouted: true,
      tooLong: [],
    });
  });

  it('relay without fallbackToOfficial: the chain only', () => {
    expect(planAttempts(route(false), rule, 'gpt-4o', 'relay', body(10)).candidates.map((c) => c.side)).toEqual(['relay', 'relay']);
  });

  it('official: only official, renamed; no rule: official with the app model', () => {
    expect(planAttempts(route(), rule, 'gpt-4o', 'official', body(10)).candidates).toEqual([{ side: 'official', model: 'gpt-4.1' }]);
    expect(planAttempts(route(), undefined, 'o3', 'relay', body(10))).toEqual({ candidates: [{ side: 'official', model: 'o3' }], relayRouted: false, tooLong: [] });
  });

  it('skips models whose context window is too small', () => {
    const p = planAttempts(route(), rule, 'gpt-4o', 'relay', body(2000));
    expect(p.tooLong).toEqual(['deepseek-chat']);
    expect(p.candidates[0]).toEqual({ side: 'relay', model: 'kimi-k2' });
  });

  it('a request no relay model fits is not relay-routed; without fallback nothing is left to try', () => {
    expect(planAttempts(route(), rule, 'gpt-4o', 'relay', body(9000))).toMatchObject({ relayRouted: false, candidates: [{ side: 'official' }] });
    expect(planAttempts(route(false), rule, 'gpt-4o', 'relay', body(9000)).candidates).toEqual([]);
  });
});
