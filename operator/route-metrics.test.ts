import { describe, expect, it } from 'vitest';
import { OperatorMetrics } from './metrics.js';
import { routeSeries } from './route-metrics.js';
import type { RelayRouteStatus } from './route.js';
import { routeFixture } from './testdata/fixtures.js';

const rolledBack: RelayRouteStatus = {
  observedGeneration: 3,
  phase: 'RolledBack',
  desiredWeight: 25,
  effectiveWeight: 0,
  pods: { selected: 3, injected: 2, reporting: 1 },
  sides: { relay: { requests: 412, errorRate: 0.032, p99LatencyMs: 750 }, official: { requests: 30, errorRate: 0, p99BeyondMs: 60000 } },
  conditions: [
    { type: 'RolledBack', status: 'True', reason: 'ErrorRateExceeded', message: 'x', lastTransitionTime: '2026-11-23T04:00:00Z' },
    { type: 'TrafficSeen', status: 'False', reason: 'NoTraffic', message: 'x', lastTransitionTime: '2026-11-23T04:00:00Z' },
  ],
};

describe('routeSeries', () => {
  it('mirrors weights, one-hot phase and conditions, pods, the merged window and the thresholds', () => {
    const s = routeSeries(routeFixture({ spec: { rollback: { maxP99Latency: '1500ms', maxErrorRate: 0.02, minRequests: 50 } } }), rolledBack);
    expect(s.desiredWeight).toBe(25);
    expect(s.effectiveWeight).toBe(0);
    expect(Object.entries(s.phase).filter(([, v]) => v === 1)).toEqual([['RolledBack', 1]]);
    expect(s.pods).toEqual({ selected: 3, injected: 2, reporting: 1 });
    expect(s.conditions['RolledBack']).toEqual({ True: 1, False: 0, Unknown: 0 });
    expect(s.conditions['TrafficSeen']).toEqual({ True: 0, False: 1, Unknown: 0 });
    expect(s.conditions['Ready']).toEqual({ True: 0, False: 0, Unknown: 0 });
    expect(s.thresholds).toEqual({ maxErrorRate: 0.02, maxP99LatencySeconds: 1.5, minRequests: 50 });
    expect(s.window.relay).toEqual({ requests: 412, errorRate: 0.032, p99Seconds: 0.75 });
    expect(s.window.official.p99Seconds).toBe(Number.POSITIVE_INFINITY);
  });

  it('falls back to the spec before the first status has weights, and to an empty window', () => {
    const s = routeSeries(routeFixture({ spec: { canary: { weight: 40 } } }), {});
    expect([s.desiredWeight, s.effectiveWeight]).toEqual([40, 40]);
    expect(Object.values(s.phase).every((v) => v === 0)).toBe(true);
    expect(s.window.relay).toEqual({ requests: 0, errorRate: 0, p99Seconds: undefined });
  });
});

describe('OperatorMetrics route gauges', () => {
  it('writes every series of a route, starts its counters at 0, and forgets them all on delete', async () => {
    const m = new OperatorMetrics();
    m.observeRoute('shop', 'bot', routeSeries(routeFixture(), rolledBack));
    const text = await m.registry.metrics();
    expect(text).toContain('bellwether_operator_route_weight_percent{namespace="shop",route="bot",kind="effective"} 0');
    expect(text).toContain('bellwether_operator_route_phase{namespace="shop",route="bot",phase="RolledBack"} 1');
    expect(text).toContain('bellwether_operator_route_phase{namespace="shop",route="bot",phase="Progressing"} 0');
    expect(text).toContain('bellwether_operator_route_pods{namespace="shop",route="bot",state="reporting"} 1');
    expect(text).toContain('bellwether_operator_route_condition{namespace="shop",route="bot",type="TrafficSeen",status="False"} 1');
    expect(text).toContain('bellwether_operator_route_window_error_rate{namespace="shop",route="bot",side="relay"} 0.032');
    expect(text).toContain('bellwether_operator_route_window_p99_latency_seconds{namespace="shop",route="bot",side="official"} +Inf');
    expect(text).toContain('bellwether_operator_route_max_error_rate{namespace="shop",route="bot"} 0.01');
    expect(text).toContain('bellwether_operator_route_max_p99_latency_seconds{namespace="shop",route="bot"} 2');
    expect(text).toContain('bellwether_operator_rollbacks_total{namespace="shop",route="bot"} 0');
    expect(text).toContain('bellwether_operator_canary_advances_total{namespace="shop",route="bot"} 0');

    // A window that loses its samples loses its p99 series (absent, not a stale value).
    m.observeRoute('shop', 'bot', routeSeries(routeFixture(), { ...rolledBack, sides: undefined }));
    expect(await m.registry.getSingleMetricAsString('bellwether_operator_route_window_p99_latency_seconds')).not.toContain('route="bot"');

    m.podsReporting.set({ namespace: 'shop', route: 'bot' }, 1);
    m.observeRoute('shop', 'other', routeSeries(routeFixture({ name: 'other' }), rolledBack));
    m.forgetRoute('shop', 'bot');
    const after = await m.registry.metrics();
    expect(after).not.toContain('route="bot"');
    expect(after).toContain('route="other"');
  });

  it('mirrors status.shadow against spec.shadow\'s bar, drops the equivalence without pairs, and everything without spec.shadow', async () => {
    const shadow = { weight: 10, minSimilarity: 0.8, maxConcurrent: 4, minPairs: 200, minEquivalence: 0.95 };
    const route = routeFixture({ spec: { shadow } });
    const s = routeSeries(route, { ...rolledBack, shadow: { pairs: 340, equivalence: 0.91, relayErrorRate: 0.02, costUSD: 0.4 } });
    expect(s.shadow).toEqual({ pairs: 340, equivalence: 0.91, minEquivalence: 0.95, minPairs: 200 });
    expect(routeSeries(routeFixture(), rolledBack).shadow).toBeUndefined();

    const m = new OperatorMetrics();
    m.observeRoute('shop', 'bot', s);
    const text = await m.registry.metrics();
    expect(text).toContain('bellwether_operator_route_shadow_pairs{namespace="shop",route="bot"} 340');
    expect(text).toContain('bellwether_operator_route_shadow_equivalence{namespace="shop",route="bot"} 0.91');
    expect(text).toContain('bellwether_operator_route_shadow_min_equivalence{namespace="shop",route="bot"} 0.95');
    expect(text).toContain('bellwether_operator_route_shadow_min_pairs{namespace="shop",route="bot"} 200');
    expect(text).toContain('bellwether_operator_shadow_passed_total{namespace="shop",route="bot"} 0');

    // A new generation's empty window: pairs 0, no equivalence (absent, not a stale value).
    m.observeRoute('shop', 'bot', routeSeries(route, { ...rolledBack, shadow: { pairs: 0, relayErrorRate: 0, costUSD: 0 } }));
    expect(await m.registry.getSingleMetricAsString('bellwether_operator_route_shadow_equivalence')).not.toContain('route="bot"');
    expect(await m.registry.getSingleMetricAsString('bellwether_operator_route_shadow_pairs')).toContain('route="bot"} 0');

    // spec.shadow removed: every shadow series goes.
    m.observeRoute('shop', 'bot', routeSeries(routeFixture(), rolledBack));
    const after = await m.registry.metrics();
    expect(after).not.toMatch(/bellwether_operator_(route_)?shadow_\w+\{[^}]*route="bot"/);
  });
});
