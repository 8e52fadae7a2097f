import { describe, expect, it } from 'vitest';
import { describeRoute, LABEL_WIDTH } from './describe.js';
import { routeFixture } from '../testdata/fixtures.js';

const line = (label: string, value: string) => `${label}:`.padEnd(LABEL_WIDTH) + value;
const SHADOW = { weight: 10, minSimilarity: 0.8, maxConcurrent: 8, minPairs: 100, minEquivalence: 0.95 };

describe('kubectl relay status: the shadow line', () => {
  it('shows the merged shadow comparison against the bar', () => {
    const route = routeFixture({ spec: { shadow: SHADOW } });
    route.status = { phase: 'Shadowing', shadow: { pairs: 1204, equivalence: 0.973, relayErrorRate: 0.002, relayP99LatencyMs: 640, costUSD: 0.4211 } };
    expect(describeRoute(route, [], 0)).toContain(
      line('Shadow', 'copying 10% of official traffic: 1,204 pairs over 15m, equivalence 97.3% (bar 95.0% over 100 pairs), relay errors 0.2%, relay p99 640ms, spent $0.42'),
    );
  });
  it('says <none> before the operator wrote it, and nothing for a route without spec.shadow', () => {
    expect(describeRoute(routeFixture({ spec: { shadow: SHADOW } }), [], 0)).toContain(line('Shadow', 'copying 10% of official traffic: <none>'));
    expect(describeRoute(routeFixture(), [], 0)).not.toContain('Shadow:');
  });
});

const NOW = Date.parse('2026-12-03T12:00:00Z');

describe('kubectl relay status: budget and mode', () => {
  it('shows the day\'s spend against the caps, and which are exceeded', () => {
    const route = routeFixture({ spec: { budget: { daily: 200, models: [{ name: 'deepseek-chat', daily: 50 }, { name: 'kimi-k2', daily: 20 }], action: 'block' } } });
    route.status = {
      budget: { day: '2026-12-03', spentTodayUSD: 203.1, dailyUSD: 200, exhausted: true, models: [{ name: 'deepseek-chat', spentTodayUSD: 50.2, dailyUSD: 50, exhausted: true }, { name: 'kimi-k2', spentTodayUSD: 3, dailyUSD: 20, exhausted: false }] },
    };
    const out = describeRoute(route, [], NOW);
    expect(out).toContain(line('Budget', '$203.10 of $200.00 today (UTC 2026-12-03), action block: EXCEEDED'));
    expect(out).toContain('  deepseek-chat: $50.20 of $50.00 (exceeded)\n  kimi-k2: $3.00 of $20.00\n');
  });

  it('says <none> before the operator has summed anything, and nothing without spec.budget', () => {
    expect(describeRoute(routeFixture({ spec: { budget: { daily: 10, action: 'alert' } } }), [], NOW)).toContain(line('Budget', '<none> of $10.00 today (UTC), action alert'));
    expect(describeRoute(routeFixture(), [], NOW)).not.toContain('Budget:');
  });

  it('names fallbackOnly mode', () => {
    expect(describeRoute(routeFixture({ spec: { canary: { mode: 'fallbackOnly' } } }), [], NOW)).toContain(line('Mode', 'fallbackOnly: official first; the relay serves only requests the official API failed'));
    expect(describeRoute(routeFixture(), [], NOW)).not.toContain('Mode:');
  });
});
