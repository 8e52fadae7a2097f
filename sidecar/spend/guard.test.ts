import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SpendGuard, blockGate } from './guard.js';
import { compileBudget } from './policy.js';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const policy = compileBudget({ daily: 10, models: [{ name: 'deepseek-chat', daily: 4 }], action: 'block' });

function guard(): { g: SpendGuard; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const g = new SpendGuard(clock);
  g.apply(policy, undefined);
  return { g, clock };
}

describe('SpendGuard', () => {
  it('counts its own spend per route and per model, and reaches a cap at or above it', () => {
    const { g } = guard();
    g.record('deepseek-chat', 3);
    g.record('gpt-4.1', 2);
    expect(g.state()).toMatchObject({ day: '2026-12-03', route: { spentUSD: 5, limitUSD: 10, exhausted: false }, fleet: false });
    g.record('deepseek-chat', 1);
    expect(g.state().models).toEqual([
      { name: 'deepseek-chat', spentUSD: 4, limitUSD: 4, exhausted: true },
      { name: 'gpt-4.1', spentUSD: 2, limitUSD: undefined, exhausted: false },
    ]);
  });

  it('adds only its own spend SINCE the fleet figure arrived: the figure already holds what came before', () => {
    const { g } = guard();
    g.record('deepseek-chat', 2); // read by the operator's poll …
    g.apply(policy, { day: '2026-12-03', routeUSD: 7, models: { 'deepseek-chat': 3 } }); // … and part of this figure (2 + 5 from other pods)
    expect(g.state().route.spentUSD).toBe(7); // not 9
    g.record('deepseek-chat', 0.5);
    expect(g.state().route.spentUSD).toBe(7.5);
    expect(g.state().models[0]).toMatchObject({ name: 'deepseek-chat', spentUSD: 3.5 });
    // The same figure again (another reload) does not move the baseline.
    g.apply(policy, { day: '2026-12-03', routeUSD: 7, models: { 'deepseek-chat': 3 } });
    expect(g.state().route.spentUSD).toBe(7.5);
    // The next figure holds the 0.5 too: a new baseline.
    g.apply(policy, { day: '2026-12-03', routeUSD: 9, models: { 'deepseek-chat': 3.5 } });
    expect(g.state().route.spentUSD).toBe(9);
  });

  it('never counts less than its own spend (an old or small figure)', () => {
    const { g } = guard();
    g.apply(policy, { day: '2026-12-03', routeUSD: 1, models: {} });
    g.record('kimi-k2', 6);
    g.apply(policy, { day: '2026-12-03', routeUSD: 1, models: {}, at: 'later' }); // a figure that did not see the 6 yet
    expect(g.state().route.spentUSD).toBe(6);
  });

  it('ignores a figure of another day and starts at 0 at 00:00 UTC', () => {
    const { g, clock } = guard();
    g.apply(policy, { day: '2026-12-02', routeUSD: 99, models: {} });
    expect(g.state().route.spentUSD).toBe(0);
    g.record('kimi-k2', 11);
    expect(g.state().route.exhausted).toBe(true);
    clock.advance(14 * 3_600_000); // 2026-12-04T00:00Z
    expect(g.state()).toMatchObject({ day: '2026-12-04', route: { spentUSD: 0, exhausted: false } });
    expect(g.own.snapshot().since).toBe(Date.parse('2026-12-04T00:00:00Z'));
    expect(g.resetsAt()).toBe(Date.parse('2026-12-05T00:00:00Z'));
  });

  it('reports each reached cap once per day', () => {
    const { g, clock } = guard();
    g.record('deepseek-chat', 4);
    expect(g.newlyExhausted()).toEqual(['deepseek-chat']);
    g.record('deepseek-chat', 7);
    expect(g.newlyExhausted()).toEqual(['route']);
    expect(g.newlyExhausted()).toEqual([]);
    clock.advance(86_400_000);
    g.record('deepseek-chat', 5);
    expect(g.newlyExhausted()).toEqual(['deepseek-chat']);
  });
});

describe('blockGate', () => {
  it('blocks only with action block: the route over its cap, and models over theirs', () => {
    const { g } = guard();
    g.record('deepseek-chat', 4);
    const gate = blockGate(g)!;
    expect(gate.route).toBeUndefined();
    expect(gate.modelBlocked('deepseek-chat')).toBe(true);
    expect(gate.modelBlocked('kimi-k2')).toBe(false);
    g.record('kimi-k2', 6);
    expect(blockGate(g)?.route).toMatchObject({ spentUSD: 10, limitUSD: 10, exhausted: true });
    g.apply(compileBudget({ daily: 10, action: 'alert' }), undefined);
    expect(blockGate(g)).toBeUndefined();
    g.apply(undefined, undefined);
    expect(blockGate(g)).toBeUndefined();
  });
});
