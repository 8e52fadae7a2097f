import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { LATENCY_BOUNDS_MS } from '../resilience/buckets.js';
import { ShadowWindow, emptyShadowWindow, mergeShadowWindows } from './window.js';

describe('ShadowWindow', () => {
  it('counts pairs by verdict and the TTFB of successful copies, and forgets them after the window', () => {
    const clock = new ManualClock();
    const w = new ShadowWindow(60_000, clock);
    w.record('equivalent', 40);
    w.record('equivalent', 300);
    w.record('different', 90);
    w.record('relay_error');
    const s = w.snapshot();
    expect(s).toMatchObject({ windowMs: 60_000, pairs: 4, equivalent: 2, different: 1, relayErrors: 1, boundsMs: LATENCY_BOUNDS_MS });
    expect(s.counts.at(-1)).toBe(3); // three TTFB samples: the failed copy has none
    expect(s.counts[LATENCY_BOUNDS_MS.indexOf(50)]).toBe(1);
    expect(s.counts[LATENCY_BOUNDS_MS.indexOf(100)]).toBe(2);
    clock.advance(61_000);
    expect(w.snapshot()).toMatchObject({ pairs: 0, equivalent: 0, different: 0, relayErrors: 0 });
  });

  it('merges by addition and refuses other bucket bounds', () => {
    const a = { ...emptyShadowWindow(60_000, LATENCY_BOUNDS_MS), pairs: 3, equivalent: 2, relayErrors: 1 };
    const b = { ...emptyShadowWindow(900_000, LATENCY_BOUNDS_MS), pairs: 5, equivalent: 4, different: 1 };
    expect(mergeShadowWindows(a, b)).toMatchObject({ windowMs: 900_000, pairs: 8, equivalent: 6, different: 1, relayErrors: 1 });
    expect(() => mergeShadowWindows(a, emptyShadowWindow(60_000, [1, 2]))).toThrow(/bounds/);
  });
});
