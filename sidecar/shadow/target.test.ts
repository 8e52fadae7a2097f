import { describe, expect, it } from 'vitest';
import { shadowTarget, type TargetChecks } from './target.js';

const checks = (o: { blocked?: string[]; tooSmall?: string[]; open?: string[] } = {}): TargetChecks => ({
  blocked: (m) => o.blocked?.includes(m) ?? false,
  fits: (m) => !(o.tooSmall?.includes(m) ?? false),
  open: (m) => o.open?.includes(m) ?? false,
});
const chain = ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash'];

describe('shadowTarget', () => {
  it('takes the first chain model when nothing rules it out', () => {
    expect(shadowTarget(chain, checks())).toEqual({ model: 'deepseek-chat' });
  });

  it('passes over models that are budget-blocked, too small for the request, or behind an open breaker', () => {
    expect(shadowTarget(chain, checks({ blocked: ['deepseek-chat'] }))).toEqual({ model: 'kimi-k2' });
    expect(shadowTarget(chain, checks({ tooSmall: ['deepseek-chat', 'kimi-k2'] }))).toEqual({ model: 'gemini-2.5-flash' });
    expect(shadowTarget(chain, checks({ open: ['deepseek-chat'], blocked: ['kimi-k2'] }))).toEqual({ model: 'gemini-2.5-flash' });
  });

  it('says why when no model is left: the one reason, or no_model when they differ', () => {
    expect(shadowTarget(chain, checks({ blocked: chain }))).toEqual({ skip: 'budget' });
    expect(shadowTarget(chain, checks({ tooSmall: chain }))).toEqual({ skip: 'context' });
    expect(shadowTarget(chain, checks({ open: chain }))).toEqual({ skip: 'circuit_open' });
    expect(shadowTarget(chain, checks({ open: ['deepseek-chat'], tooSmall: ['kimi-k2', 'gemini-2.5-flash'] }))).toEqual({ skip: 'no_model' });
    expect(shadowTarget([], checks())).toEqual({ skip: 'no_model' });
  });

  it('checks budget before context before the breaker, so a model is reported under the first reason that rules it out', () => {
    expect(shadowTarget(['m'], checks({ blocked: ['m'], tooSmall: ['m'], open: ['m'] }))).toEqual({ skip: 'budget' });
    expect(shadowTarget(['m'], checks({ tooSmall: ['m'], open: ['m'] }))).toEqual({ skip: 'context' });
  });
});
