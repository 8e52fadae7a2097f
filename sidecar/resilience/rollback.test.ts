import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { RollbackPolicy } from '../config/route.js';
import { judge, PodRollback } from './rollback.js';
import { SlidingWindow, type WindowSnapshot } from './window.js';

const policy: RollbackPolicy = {
  windowMs: 15 * 60_000,
  minRequests: 100,
  maxErrorRate: 0.01,
  maxP99LatencyMs: 2000,
  action: 'rollback',
};

/** A relay window with `ok` successes at `okMs` TTFB, `slow` at `slowMs`, and `failed` failures. */
function relay(ok: number, failed = 0, slow = 0, okMs = 300, slowMs = 4000, thresholdMs = policy.maxP99LatencyMs): WindowSnapshot {
  const w = new SlidingWindow(policy.windowMs, new ManualClock(), 60, thresholdMs);
  for (let i = 0; i < ok; i++) w.record({ failed: false, ttfbMs: okMs });
  for (let i = 0; i < slow; i++) w.record({ failed: false, ttfbMs: slowMs });
  for (let i = 0; i < failed; i++) w.record({ failed: true });
  return w.snapshot();
}

describe('judge', () => {
  it('does not judge below minRequests', () => {
    expect(judge(policy, relay(49, 50))).toEqual({ breach: false });
    expect(judge({ ...policy, minRequests: 0 }, relay(0))).toEqual({ breach: false });
  });

  it('breaches on error rate strictly above the threshold', () => {
    expect(judge(policy, relay(99, 1))).toEqual({ breach: false }); // exactly 1%
    expect(judge(policy, relay(98, 2))).toEqual({ breach: true, reason: 'error_rate', value: 0.02, threshold: 0.01 });
  });

  it('breaches on p99 above the threshold', () => {
    // 200 samples: rank 198 is the first of 3 slow ones (bucket le=5000).
    expect(judge(policy, relay(197, 0, 3))).toEqual({
      breach: true,
      reason: 'p99_latency',
      value: 5000,
      threshold: 2000,
    });
    expect(judge(policy, relay(198, 0, 2))).toEqual({ breach: false }); // rank 198 is still fast
  });

  it('means the threshold exactly, wherever the bucket bounds fall', () => {
    const t = { ...policy, maxP99LatencyMs: 2900 };
    // Every sample at 2.01 s: the bucket (2 s, 3 s] straddles the threshold; the p99 is 2.01 s ≤ 2.9 s.
    expect(judge(t, relay(0, 0, 200, 300, 2010, 2900))).toEqual({ breach: false });
    // 2.95 s is above 2.9 s: breach, and the value reported (the bucket bound) is above the threshold too.
    expect(judge(t, relay(0, 0, 200, 300, 2950, 2900))).toEqual({ breach: true, reason: 'p99_latency', value: 3000, threshold: 2900 });
    // Two of 200 above the threshold: rank 198 is still at or below it.
    expect(judge(t, relay(198, 0, 2, 300, 2950, 2900))).toEqual({ breach: false });
    expect(judge(t, relay(197, 0, 3, 300, 2950, 2900))).toMatchObject({ breach: true, reason: 'p99_latency' });
  });

  it('falls back to the bucket estimate for a window counted against another threshold', () => {
    const t = { ...policy, maxP99LatencyMs: 2900 };
    // Counted against 2 s (a pod still on the old generation): the estimate 3 s > 2.9 s decides.
    expect(judge(t, relay(0, 0, 200, 300, 2010, 2000))).toMatchObject({ breach: true, value: 3000 });
  });

  it('treats a p99 equal to the threshold as healthy', () => {
    expect(judge(policy, relay(100, 0, 0, 2000))).toEqual({ breach: false });
  });

  it('checks the error rate first', () => {
    const v = judge(policy, relay(100, 10, 100));
    expect(v).toMatchObject({ breach: true, reason: 'error_rate' });
  });

  it('cannot breach on latency without latency samples', () => {
    expect(judge({ ...policy, maxErrorRate: 1 }, relay(0, 150))).toEqual({ breach: false });
  });
});

describe('PodRollback', () => {
  it('returns the state only on the transition into breach and holds it', () => {
    const clock = new ManualClock();
    const pod = new PodRollback(clock);
    expect(pod.observe(policy, relay(200), 1)).toBeUndefined();
    expect(pod.effectiveWeight(25)).toBe(25);

    clock.advance(5_000);
    const state = pod.observe(policy, relay(90, 10), 1);
    expect(state).toEqual({
      reason: 'error_rate',
      value: 0.1,
      threshold: 0.01,
      at: clock.now(),
      generation: 1,
      action: 'rollback',
    });
    expect(pod.active).toEqual(state);
    expect(pod.effectiveWeight(25)).toBe(0);

    expect(pod.observe(policy, relay(90, 10), 1)).toBeUndefined(); // still breaching: no new transition
    expect(pod.observe(policy, relay(0), 1)).toBeUndefined(); // the window went quiet: still held
    expect(pod.active).toEqual(state);
    expect(pod.effectiveWeight(50)).toBe(0);
  });

  it('releases a rollback only when the generation changes', () => {
    const pod = new PodRollback(new ManualClock());
    pod.onGeneration(3);
    pod.observe(policy, relay(90, 10), 3);
    expect(pod.onGeneration(3)).toBe(false);
    expect(pod.effectiveWeight(25)).toBe(0);
    expect(pod.onGeneration(4)).toBe(true);
    expect(pod.active).toBeUndefined();
    expect(pod.effectiveWeight(25)).toBe(25);
    expect(pod.onGeneration(4)).toBe(false);
    expect(pod.onGeneration(5)).toBe(false); // nothing held
  });

  it('applies a new generation passed to observe, then judges afresh', () => {
    const pod = new PodRollback(new ManualClock());
    pod.observe(policy, relay(90, 10), 1);
    expect(pod.observe(policy, relay(200), 2)).toBeUndefined();
    expect(pod.active).toBeUndefined();
    const again = pod.observe(policy, relay(90, 10), 2);
    expect(again).toMatchObject({ generation: 2, action: 'rollback' });
  });

  it('alert reports without touching the weight, and also holds until a new generation', () => {
    const clock = new ManualClock();
    const pod = new PodRollback(clock);
    const alert = { ...policy, action: 'alert' as const };
    const state = pod.observe(alert, relay(197, 0, 3), 7);
    expect(state).toMatchObject({ reason: 'p99_latency', value: 5000, action: 'alert', generation: 7 });
    expect(pod.active).toBe(state);
    expect(pod.effectiveWeight(25)).toBe(25);
    expect(pod.observe(alert, relay(197, 0, 3), 7)).toBeUndefined();
    expect(pod.observe(alert, relay(200), 7)).toBeUndefined(); // healthy again: no flapping
    expect(pod.active).toBe(state);

    expect(pod.onGeneration(8)).toBe(true);
    clock.advance(1_000);
    expect(pod.observe(alert, relay(90, 10), 8)).toMatchObject({ reason: 'error_rate', at: clock.now(), generation: 8 });
  });
});
