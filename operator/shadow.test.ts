import { describe, expect, it } from 'vitest';
import { ManualClock } from '../sidecar/clock.js';
import { decide } from './analysis.js';
import { mergeFleet } from './merge.js';
import { mergeShadow, shadowGate, shadowStats } from './shadow.js';
import { nextStatus } from './status.js';
import { cumulativeCounts, routeFixture, statusDoc } from './testdata/fixtures.js';
import { LATENCY_BOUNDS_MS } from '../sidecar/resilience/buckets.js';
import type { PodDoc } from './merge.js';
import type { RelayRoute, RelayRouteStatus } from './route.js';
import type { RouteCheck } from './validate.js';

const SHADOW = { weight: 10, minSimilarity: 0.8, maxConcurrent: 8, minPairs: 100, minEquivalence: 0.95 };
const STEPS = { weights: [5, 25, 50, 100], interval: '1h' };

/** A pod's document with a shadow window: equivalent / different / relay errors and the copies' TTFB samples (ms). */
function pod(name: string, w: { equivalent: number; different?: number; relayErrors?: number; samples?: number[]; generation?: number; cost?: number }): PodDoc {
  const doc = statusDoc({ generation: w.generation ?? 3 });
  const different = w.different ?? 0;
  const relayErrors = w.relayErrors ?? 0;
  const samples = w.samples ?? new Array<number>(w.equivalent + different).fill(400);
  doc.shadow = {
    weight: 10,
    minSimilarity: 0.8,
    maxConcurrent: 8,
    inFlight: 0,
    pairs: w.equivalent + different + relayErrors,
    equivalent: w.equivalent,
    different,
    relayErrors,
    skipped: 0,
    costUSD: w.cost ?? 0,
    window: {
      windowMs: 900_000,
      pairs: w.equivalent + different + relayErrors,
      equivalent: w.equivalent,
      different,
      relayErrors,
      boundsMs: LATENCY_BOUNDS_MS,
      counts: cumulativeCounts(samples),
    },
  };
  return { pod: name, doc };
}

const route = (spec: Record<string, unknown> = {}): RelayRoute => routeFixture({ generation: 3, spec: { shadow: SHADOW, ...spec } });

describe('mergeShadow and status.shadow', () => {
  it('adds the pods\' pairs and TTFB buckets, so equivalence and the relay p99 are the fleet\'s, exactly', () => {
    const r = route();
    const f = mergeShadow(
      [
        pod('a', { equivalent: 90, different: 5, relayErrors: 5, cost: 0.25 }),
        pod('b', { equivalent: 10, samples: [...new Array<number>(9).fill(300), 2500], cost: 0.5 }),
        { pod: 'silent', doc: undefined },
      ],
      r,
      900_000,
    );
    expect(f.window).toMatchObject({ pairs: 110, equivalent: 100, different: 5, relayErrors: 5 });
    expect(f.pods).toBe(2);
    // Pod b alone has a p99 of 3 s (1 slow copy in 10); over the fleet's 105 samples the p99 is the 104th: 500 ms.
    expect(shadowStats(mergeShadow([pod('b', { equivalent: 10, samples: [...new Array<number>(9).fill(300), 2500] })], r, 900_000)).relayP99LatencyMs).toBe(3000);
    expect(shadowStats(f)).toEqual({ pairs: 110, equivalence: 100 / 110, relayErrorRate: 5 / 110, relayP99LatencyMs: 500, costUSD: 0.75 });
  });

  it('leaves out pods of another generation and documents without a shadow window', () => {
    const plain = statusDoc({ generation: 3 });
    const f = mergeShadow([pod('old', { equivalent: 50, generation: 2 }), { pod: 'none', doc: plain }, pod('cur', { equivalent: 7 })], route(), 900_000);
    expect(f.window.pairs).toBe(7);
    expect(f.pods).toBe(1);
    expect(shadowStats(mergeShadow([], route(), 900_000))).toEqual({ pairs: 0, relayErrorRate: 0, costUSD: 0 });
  });

  it('writes status.shadow only for a route with spec.shadow', () => {
    const check: RouteCheck = { invalid: false, conditions: [], events: [] } as unknown as RouteCheck;
    for (const [r, present] of [[route(), true], [routeFixture({ generation: 3 }), false]] as const) {
      const fleet = mergeFleet([pod('a', { equivalent: 3 })], r);
      const decision = decide(r, undefined, fleet, 0);
      const st = nextStatus({ route: r, check, decision, fleet, pods: { selected: 1, injected: 1 }, now: 0 });
      expect(st.shadow !== undefined).toBe(present);
    }
  });
});

describe('shadowGate', () => {
  it.each([
    [{ equivalent: 99 }, { pass: false, reason: 'ShadowTooFewPairs' }],
    [{ equivalent: 94, different: 6 }, { pass: false, reason: 'ShadowBelowEquivalence' }],
    [{ equivalent: 95, relayErrors: 5 }, { pass: true }],
    [{ equivalent: 94, relayErrors: 6 }, { pass: false, reason: 'ShadowBelowEquivalence' }], // relay errors are not equivalent
  ])('%j → %j', (w, verdict) => {
    expect(shadowGate(SHADOW, mergeShadow([pod('a', w)], route(), 900_000))).toMatchObject(verdict);
  });
});

describe('decide with spec.shadow', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 4, 0, 0));
  const withSteps = route({ canary: { weight: 100, steps: STEPS } });
  const fleetOf = (r: RelayRoute, ...pods: PodDoc[]) => mergeFleet(pods, r);

  it('holds the first step at 0 in phase Shadowing until enough pairs, with one Event per hold reason', () => {
    const d1 = decide(withSteps, undefined, fleetOf(withSteps, pod('a', { equivalent: 40 }), pod('b', { equivalent: 2 })), clock.now());
    expect(d1).toMatchObject({ effectiveWeight: 0, phase: 'Shadowing', holdReason: 'ShadowTooFewPairs' });
    expect(d1.events).toEqual([
      { type: 'Normal', reason: 'Shadowing', message: 'Shadowing: 42 pairs over 15m from 2 pods, fewer than spec.shadow.minPairs 100; the first step (5%) waits until there are enough' },
    ]);
    const held: RelayRouteStatus = { observedGeneration: 3, phase: 'Shadowing', effectiveWeight: 0, canary: { holdReason: 'ShadowTooFewPairs' } };
    const d2 = decide(withSteps, held, fleetOf(withSteps, pod('a', { equivalent: 60 })), clock.now());
    expect(d2).toMatchObject({ effectiveWeight: 0, phase: 'Shadowing', events: [] });

    const d3 = decide(withSteps, held, fleetOf(withSteps, pod('a', { equivalent: 90, different: 10 })), clock.now());
    expect(d3).toMatchObject({ effectiveWeight: 0, phase: 'Shadowing', holdReason: 'ShadowBelowEquivalence' });
    expect(d3.events).toEqual([
      {
        type: 'Warning',
        reason: 'ShadowBelowEquivalence',
        message: 'Halt advancement: shadow equivalence 90.0% < spec.shadow.minEquivalence 95.0% over 100 pairs in 15m from 1 pod (relay error rate 0.0%, relay p99 500ms); the first step (5%) waits',
      },
    ]);
  });

  it('starts the first step when the shadow passes, with an Event that says why', () => {
    const held: RelayRouteStatus = { observedGeneration: 3, phase: 'Shadowing', effectiveWeight: 0, canary: { holdReason: 'ShadowTooFewPairs' } };
    const d = decide(withSteps, held, fleetOf(withSteps, pod('a', { equivalent: 1180, different: 20, relayErrors: 4 }), pod('b', { equivalent: 0, relayErrors: 0 })), clock.now());
    expect(d).toMatchObject({ effectiveWeight: 5, phase: 'Progressing', stepStartedAt: '2026-11-23T04:00:00Z' });
    expect(d.holdReason).toBeUndefined();
    expect(d.events).toEqual([
      {
        type: 'Normal',
        reason: 'ShadowPassed',
        message: 'Shadow passed: equivalence 98.0% ≥ 95.0% over 1,204 pairs in 15m from 2 pods (relay error rate 0.3%, relay p99 500ms); effective weight 0% → 5%, the first of spec.canary.steps',
      },
    ]);
    // Running: the shadow no longer gates the canary.
    const running: RelayRouteStatus = { observedGeneration: 3, phase: 'Progressing', effectiveWeight: 5, canary: { stepStartedAt: '2026-11-23T04:00:00Z' } };
    expect(decide(withSteps, running, fleetOf(withSteps), clock.now())).toMatchObject({ effectiveWeight: 5, phase: 'Progressing' });
  });

  it('shows Shadowing for a route with spec.shadow at weight 0 without steps, and Pending without spec.shadow', () => {
    const r = route({ canary: { weight: 0 } });
    expect(decide(r, undefined, fleetOf(r), clock.now()).phase).toBe('Shadowing');
    const plain = routeFixture({ generation: 3, spec: { canary: { weight: 0 } } });
    expect(decide(plain, undefined, mergeFleet([], plain), clock.now()).phase).toBe('Pending');
  });
});
