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
