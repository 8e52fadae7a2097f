import { describe, expect, it } from 'vitest';
import { ManualClock } from '../sidecar/clock.js';
import { decide, judgeFleet, nextStepWeight, stepWeights } from './analysis.js';
import { mergeFleet, type FleetWindow } from './merge.js';
import { rfc3339, setCondition, type RelayRoute, type RelayRouteStatus } from './route.js';
import { routeFixture, statusDoc, type SideSpec } from './testdata/fixtures.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/** Spread one relay side over `pods` pods (requests, failures and samples split round-robin). */
function fleet(route: RelayRoute, relay: SideSpec, pods = 1, generation = route.metadata.generation ?? 1): FleetWindow {
  const failures = relay.failures ?? 0;
  const samples = relay.samples ?? new Array<number>(relay.requests - failures).fill(100);
  const parts = Array.from({ length: pods }, (_, i) => {
    const share = (n: number) => Math.floor(n / pods) + (i < n % pods ? 1 : 0);
    return { requests: share(relay.requests), failures: share(failures), samples: samples.filter((_, j) => j % pods === i) };
  });
  return mergeFleet(parts.map((p, i) => ({ pod: `pod-${i}`, doc: statusDoc({ generation, relay: p }) })), route);
}

const healthy = (requests: number) => ({ requests, failures: 0 });

describe('predicates and verbs', () => {
  it.each<[number[], number, number[]]>([
    [[5, 25, 50, 100], 100, [5, 25, 50, 100]],
    [[50, 5, 25, 5], 100, [5, 25, 50]],
    [[5, 25, 50, 100], 30, [5, 25, 30]],
    [[5, 25], 0, []],
    [[0, 10], 100, [10]],
  ])('stepWeights(%j, cap %i) = %j', (weights, cap, expected) => {
    expect(stepWeights({ weight: cap, fallbackToOfficial: true, steps: { weights, interval: '1h' } })).toEqual(expected);
  });

  it.each<[number, number | undefined]>([
    [0, 5],
    [5, 25],
    [7, 25],
    [50, 100],
    [100, undefined],
  ])('nextStepWeight([5, 25, 50, 100], %i) = %s', (current, next) => {
    expect(nextStepWeight([5, 25, 50, 100], current)).toBe(next);
  });

  it('judges the merged window: two pods each below minRequests breach together', () => {
    const route = routeFixture();
    const verdict = judgeFleet(route, fleet(route, { requests: 120, failures: 6 }, 2));
    expect(verdict).toEqual({ breach: true, reason: 'error_rate', value: 0.05, threshold: 0.01 });
    expect(judgeFleet(route, fleet(route, { requests: 60, failures: 3 }))).toEqual({ breach: false });
  });
});

describe('decide: rollback', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 4, 0, 0));
  const route = routeFixture({ generation: 3 });
  const running: RelayRouteStatus = { observedGeneration: 3, phase: 'Progressing', effectiveWeight: 25 };

  it('rolls the fleet back on an error-rate breach, with the Event DESIGN.md shows', () => {
    const d = decide(route, running, fleet(route, { requests: 412, failures: 13 }, 6), clock.now());
    expect(d.effectiveWeight).toBe(0);
    expect(d.phase).toBe('RolledBack');
    expect(d.events).toEqual([
      { type: 'Warning', reason: 'RolledBack', message: 'Rolled back: relay error rate 3.2% > 1.0% over 15m (412 relay requests from 6 pods)' },
    ]);
    expect(d.lastRollback).toEqual({ time: '2026-11-23T04:00:00Z', reason: 'error_rate', message: d.events[0]?.message, generation: 3 });
    expect(d.condition).toMatchObject({ type: 'RolledBack', status: 'True', reason: 'ErrorRateExceeded', observedGeneration: 3 });
  });

  it('rolls back on the p99 and says so', () => {
    const samples = [...new Array(194).fill(300), ...new Array(6).fill(2500)];
    const d = decide(route, running, fleet(route, { requests: 200, samples }, 2), clock.now());
    expect(d.events[0]?.message).toBe('Rolled back: relay p99 latency 3s > 2s over 15m (200 relay requests from 2 pods)');
    expect(d.condition.reason).toBe('P99LatencyExceeded');
  });

  it('judges nothing below minRequests', () => {
    const d = decide(route, running, fleet(route, { requests: 99, failures: 50 }), clock.now());
    expect(d).toMatchObject({ effectiveWeight: 25, phase: 'Progressing', events: [] });
    expect(d.condition).toMatchObject({ status: 'False', reason: 'TooFewRequests' });
  });

  it('holds a rollback while the generation stays, whatever the window says', () => {
    const first = decide(route, running, fleet(route, { requests: 412, failures: 13 }, 6), clock.now());
    const state: RelayRouteStatus = { observedGeneration: 3, phase: first.phase, effectiveWeight: first.effectiveWeight, ...(first.lastRollback ? { lastRollback: first.lastRollback } : {}) };
    clock.advance(HOUR);
    const d = decide(route, state, fleet(route, healthy(5000)), clock.now());
    expect(d).toMatchObject({ effectiveWeight: 0, phase: 'RolledBack', events: [], lastRollback: first.lastRollback });
    expect(d.condition).toMatchObject({ status: 'True', reason: 'ErrorRateExceeded', message: first.events[0]?.message });
  });

  it('keeps holding when the status shows another phase (Invalid) meanwhile', () => {
    const lastRollback = { time: '2026-11-23T04:00:00Z', reason: 'error_rate', message: 'Rolled back: …', generation: 3 };
    const d = decide(route, { observedGeneration: 3, phase: 'Invalid', effectiveWeight: 0, lastRollback }, fleet(route, healthy(500)), clock.now());
    expect(d).toMatchObject({ effectiveWeight: 0, phase: 'RolledBack', events: [] });
  });

  it('resumes on a new generation, with an Event', () => {
    const state: RelayRouteStatus = {
      observedGeneration: 3,
      phase: 'RolledBack',
      effectiveWeight: 0,
      lastRollback: { time: '2026-11-23T04:00:00Z', reason: 'error_rate', message: 'Rolled back: …', generation: 3 },
    };
    const next = routeFixture({ generation: 4 });
    const d = decide(next, state, fleet(next, healthy(0)), clock.now());
    expect(d).toMatchObject({ effectiveWeight: 25, phase: 'Progressing' });
    expect(d.events).toEqual([{ type: 'Normal', reason: 'Resumed', message: 'Resumed: generation 4 lifts the rollback of generation 3; effective weight 0% → 25%' }]);
  });

  it('with action alert, reports once per generation and keeps the weight', () => {
    const alerting = routeFixture({ generation: 3, spec: { rollback: { action: 'alert' } } });
    const window = fleet(alerting, { requests: 412, failures: 13 }, 6);
    const d1 = decide(alerting, running, window, clock.now());
    expect(d1).toMatchObject({ effectiveWeight: 25, phase: 'Progressing' });
    expect(d1.events.map((e) => e.reason)).toEqual(['ThresholdBreached']);
    expect(d1.events[0]?.message).toContain('relay error rate 3.2% > 1.0% over 15m');
    expect(d1.events[0]?.message).toContain('the effective weight stays 25%');
    const state = { ...running, conditions: setCondition(undefined, d1.condition, clock.now()) };
    const d2 = decide(alerting, state, window, clock.now() + 10_000);
    expect(d2.events).toEqual([]);
    expect(d2.condition).toMatchObject({ status: 'False', reason: 'ThresholdBreached' });
    // The window recovers: the alert of this generation stays reported.
    const d3 = decide(alerting, state, fleet(alerting, healthy(500)), clock.now() + 20_000);
    expect(d3.condition.reason).toBe('ThresholdBreached');
  });
});

describe('decide: without steps', () => {
  const now = Date.UTC(2026, 10, 23, 4, 0, 0);
  it.each<[number, string]>([
    [25, 'Progressing'],
    [0, 'Pending'],
    [100, 'Progressing'],
  ])('weight %i → phase %s, the weight as is', (weight, phase) => {
    const route = routeFixture({ spec: { canary: { weight } } });
    const d = decide(route, undefined, fleet(route, healthy(0)), now);
    expect(d).toMatchObject({ effectiveWeight: weight, phase, events: [] });
    expect(d.stepStartedAt).toBeUndefined();
  });

  it('records a weight change made by a new generation', () => {
    const route = routeFixture({ generation: 5, spec: { canary: { weight: 50 } } });
    const d = decide(route, { observedGeneration: 4, phase: 'Progressing', effectiveWeight: 25 }, fleet(route, healthy(0)), now);
    expect(d.events).toEqual([{ type: 'Normal', reason: 'WeightChanged', message: 'Weight: effective weight 25% → 50% (generation 5: spec.canary.weight 50%)' }]);
  });
});

describe('decide: steps', () => {
  const t0 = Date.UTC(2026, 10, 23, 4, 0, 0);
  const stepped = (weight = 100, generation = 3, interval = '1h') =>
    routeFixture({ generation, spec: { canary: { weight, steps: { weights: [5, 25, 50, 100], interval } } } });
  const at = (weight: number, startedAt: number, extra: Partial<RelayRouteStatus> = {}): RelayRouteStatus => ({
    observedGeneration: 3,
    phase: 'Progressing',
    effectiveWeight: weight,
    canary: { stepStartedAt: rfc3339(startedAt) },
    ...extra,
  });
  const good = { requests: 1204, failures: 2, samples: new Array(1202).fill(640) };

  it('starts at the first step', () => {
    const route = stepped();
    const d = decide(route, undefined, fleet(route, healthy(0)), t0);
    expect(d).toMatchObject({ effectiveWeight: 5, phase: 'Progressing', stepStartedAt: rfc3339(t0), events: [] });
  });

  it('advances one step per interval while the window passes, with the Event', () => {
    const route = stepped();
    const d = decide(route, at(5, t0), fleet(route, good, 3), t0 + HOUR);
    expect(d.effectiveWeight).toBe(25);
    expect(d.stepStartedAt).toBe(rfc3339(t0 + HOUR));
    expect(d.events).toEqual([
      { type: 'Normal', reason: 'Advanced', message: 'Advance: effective weight 5% → 25% (relay error rate 0.2% ≤ 1.0%, p99 750ms ≤ 2s over 1,204 requests)' },
    ]);
  });

  it('does not advance before the interval is over', () => {
    const route = stepped();
    const d = decide(route, at(5, t0), fleet(route, good), t0 + HOUR - 1000);
    expect(d).toMatchObject({ effectiveWeight: 5, events: [], stepStartedAt: rfc3339(t0) });
  });

  it('waits a whole rollback window when the interval is shorter, so the window holds only this step', () => {
    const route = stepped(100, 3, '5m');
    expect(decide(route, at(5, t0), fleet(route, good), t0 + 10 * MIN).effectiveWeight).toBe(5);
    expect(decide(route, at(5, t0), fleet(route, good), t0 + 15 * MIN).effectiveWeight).toBe(25);
  });

  it('holds with too few requests, and says so once per reason, not every tick', () => {
    const route = stepped();
    const d1 = decide(route, at(25, t0), fleet(route, healthy(42)), t0 + HOUR);
    expect(d1).toMatchObject({ effectiveWeight: 25, holdReason: 'TooFewRequests', stepStartedAt: rfc3339(t0) });
    expect(d1.events).toEqual([
      {
        type: 'Normal',
        reason: 'HaltAdvancement',
        message: 'Halt advancement: 42 relay requests over 15m at 25%, fewer than spec.rollback.minRequests 100; the effective weight stays 25% until there are enough',
      },
    ]);
    const d2 = decide(route, at(25, t0, { canary: { stepStartedAt: rfc3339(t0), holdReason: 'TooFewRequests' } }), fleet(route, healthy(43)), t0 + HOUR + 10_000);
    expect(d2.events).toEqual([]);
    expect(d2.holdReason).toBe('TooFewRequests');
    const d3 = decide(route, at(25, t0, { canary: { stepStartedAt: rfc3339(t0), holdReason: 'TooFewRequests' } }), fleet(route, good), t0 + HOUR + 20_000);
    expect(d3.effectiveWeight).toBe(50);
    expect(d3.holdReason).toBeUndefined();
  });

  it('promotes at the last step', () => {
    const route = stepped();
    const d = decide(route, at(50, t0), fleet(route, good), t0 + HOUR);
    expect(d).toMatchObject({ effectiveWeight: 100, phase: 'Promoted' });
    expect(d.events.map((e) => e.reason)).toEqual(['Advanced', 'Promoted']);
    const after = decide(route, { ...at(100, t0 + HOUR), phase: 'Promoted' }, fleet(route, good), t0 + 3 * HOUR);
    expect(after).toMatchObject({ effectiveWeight: 100, phase: 'Promoted', events: [] });
  });

  it('never steps above spec.canary.weight, and stops there without Promoted', () => {
    const route = stepped(30);
    const d = decide(route, at(25, t0), fleet(route, good), t0 + HOUR);
    expect(d).toMatchObject({ effectiveWeight: 30, phase: 'Progressing' });
    expect(d.events[0]?.message).toContain('25% → 30%');
    expect(d.events[0]?.message).toContain('spec.canary.weight 30% caps the steps');
    const later = decide(route, at(30, t0 + HOUR), fleet(route, good), t0 + 5 * HOUR);
    expect(later).toMatchObject({ effectiveWeight: 30, phase: 'Progressing', events: [] });
  });

  it('a cap of 0 moves nothing', () => {
    const route = stepped(0);
    expect(decide(route, undefined, fleet(route, good), t0)).toMatchObject({ effectiveWeight: 0, phase: 'Pending' });
  });

  it('a breach at a step rolls back, and the resume starts at the first step again', () => {
    const route = stepped();
    const d = decide(route, at(50, t0), fleet(route, { requests: 412, failures: 13 }, 6), t0 + 10 * MIN);
    expect(d).toMatchObject({ effectiveWeight: 0, phase: 'RolledBack' });
    const resumed = decide(stepped(100, 4), { ...at(0, t0), phase: 'RolledBack', ...(d.lastRollback ? { lastRollback: d.lastRollback } : {}) }, fleet(stepped(100, 4), healthy(0)), t0 + HOUR);
    expect(resumed).toMatchObject({ effectiveWeight: 5, phase: 'Progressing', stepStartedAt: rfc3339(t0 + HOUR) });
    expect(resumed.events.map((e) => e.reason)).toEqual(['Resumed']);
  });

  it('a new generation keeps the step, restarts its clock, and clamps it to a lower cap', () => {
    const keep = decide(stepped(100, 4), at(25, t0), fleet(stepped(100, 4), good), t0 + 2 * HOUR);
    expect(keep).toMatchObject({ effectiveWeight: 25, stepStartedAt: rfc3339(t0 + 2 * HOUR), events: [] });
    const lowered = decide(stepped(10, 4), at(25, t0), fleet(stepped(10, 4), good), t0 + 2 * HOUR);
    expect(lowered.effectiveWeight).toBe(10);
    expect(lowered.events.map((e) => e.reason)).toEqual(['WeightChanged']);
  });
});
