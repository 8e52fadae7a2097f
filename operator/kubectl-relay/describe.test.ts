import { describe, expect, it } from 'vitest';
import { LABEL_WIDTH, describeRoute } from './describe.js';
import { routeFixture } from '../testdata/fixtures.js';

const line = (label: string, value: string) => `${label}:`.padEnd(LABEL_WIDTH) + value;
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
