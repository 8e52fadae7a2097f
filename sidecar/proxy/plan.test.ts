import { describe, expect, it } from 'vitest';
import { planAttempts } from './plan.js';
import type { ModelRule, Route } from '../config/route.js';

const rule: ModelRule = { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' };
const route = (fallbackToOfficial = true, mode: 'canary' | 'fallbackOnly' = 'canary'): Route =>
  ({
    canary: { weight: 50, fallbackToOfficial, mode },
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
      officialFirst: false,
      tooLong: [],
      overBudget: [],
    });
  });

  it('relay without fallbackToOfficial: the chain only', () => {
    expect(planAttempts(route(false), rule, 'gpt-4o', 'relay', body(10)).candidates.map((c) => c.side)).toEqual(['relay', 'relay']);
  });

  it('official: only official, renamed; no rule: official with the app model', () => {
    expect(planAttempts(route(), rule, 'gpt-4o', 'official', body(10)).candidates).toEqual([{ side: 'official', model: 'gpt-4.1' }]);
    expect(planAttempts(route(), undefined, 'o3', 'relay', body(10))).toEqual({ candidates: [{ side: 'official', model: 'o3' }], relayRouted: false, officialFirst: false, tooLong: [], overBudget: [] });
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

  describe('canary.mode fallbackOnly', () => {
    it('official first, then the chain; not relay-routed until the relay is reached', () => {
      expect(planAttempts(route(true, 'fallbackOnly'), rule, 'gpt-4o', 'relay', body(10))).toEqual({
        candidates: [
          { side: 'official', model: 'gpt-4.1' },
          { side: 'relay', model: 'deepseek-chat' },
          { side: 'relay', model: 'kimi-k2' },
        ],
        relayRouted: false,
        officialFirst: true,
        tooLong: [],
        overBudget: [],
      });
    });

    it('official-picked requests (the share the weight leaves out) never reach the relay', () => {
      expect(planAttempts(route(true, 'fallbackOnly'), rule, 'gpt-4o', 'official', body(10))).toMatchObject({ candidates: [{ side: 'official' }], officialFirst: false });
    });

    it('no chain model fits: the official API alone, as the primary', () => {
      expect(planAttempts(route(true, 'fallbackOnly'), rule, 'gpt-4o', 'relay', body(9000))).toMatchObject({
        candidates: [{ side: 'official', model: 'gpt-4.1' }],
        officialFirst: false,
        tooLong: ['deepseek-chat', 'kimi-k2'],
      });
    });

    it('an official model over its budget: the chain serves, relay-routed as in canary mode', () => {
      const p = planAttempts(route(true, 'fallbackOnly'), rule, 'gpt-4o', 'relay', body(10), (m) => m === 'gpt-4.1');
      expect(p).toMatchObject({ relayRouted: true, officialFirst: false, overBudget: ['gpt-4.1'] });
      expect(p.candidates.map((c) => c.model)).toEqual(['deepseek-chat', 'kimi-k2']);
    });
  });

  describe('budget (action block)', () => {
    it('leaves a chain model over its cap out, like an open breaker: the chain moves on', () => {
      const p = planAttempts(route(), rule, 'gpt-4o', 'relay', body(10), (m) => m === 'deepseek-chat');
      expect(p.candidates.map((c) => c.model)).toEqual(['kimi-k2', 'gpt-4.1']);
      expect(p).toMatchObject({ relayRouted: true, overBudget: ['deepseek-chat'] });
    });

    it('every chain model over its cap: not relay-routed (no relay failure), the official fallback serves', () => {
      const p = planAttempts(route(), rule, 'gpt-4o', 'relay', body(10), (m) => m !== 'gpt-4.1');
      expect(p).toMatchObject({ candidates: [{ side: 'official', model: 'gpt-4.1' }], relayRouted: false, overBudget: ['deepseek-chat', 'kimi-k2'] });
    });

    it('the official model over its cap: nothing left for an official-picked request', () => {
      expect(planAttempts(route(), rule, 'gpt-4o', 'official', body(10), (m) => m === 'gpt-4.1')).toEqual({
        candidates: [],
        relayRouted: false,
        officialFirst: false,
        tooLong: [],
        overBudget: ['gpt-4.1'],
      });
    });
  });
});
