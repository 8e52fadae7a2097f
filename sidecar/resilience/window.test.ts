import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom as mulberry32 } from '../clock.js';
import { LATENCY_BOUNDS_MS } from './buckets.js';
import { mergeSnapshots, quantileMs, SlidingWindow, type WindowSnapshot } from './window.js';

/** 1_700_000_000_000 is a multiple of 1000, so 1 s slices start on the clock's start. */
function setup(windowMs = 60_000, slices = 60) {
  const clock = new ManualClock();
  return { clock, window: new SlidingWindow(windowMs, clock, slices) };
}


describe('SlidingWindow', () => {
  it('counts requests and failures; latency only when ttfbMs is given', () => {
    const { window } = setup();
    window.record({ failed: false, ttfbMs: 40 });
    window.record({ failed: true });
    window.record({ failed: true, ttfbMs: 900 });
    const s = window.snapshot();
    expect(s).toMatchObject({ windowMs: 60_000, requests: 3, failures: 2, boundsMs: LATENCY_BOUNDS_MS });
    expect(s.counts).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
    expect(s.counts.at(-1)).toBe(2);
  });

  it('buckets are cumulative with Prometheus `le` semantics', () => {
    const { window } = setup();
    for (const ms of [0, 5, 5.01, 10, 60_000, 60_001, Infinity]) window.record({ failed: false, ttfbMs: ms });
    const { counts } = window.snapshot();
    // le=5: {0, 5}; le=10: + {5.01, 10}; le=60000: + {60000}; +Inf: + {60001, Infinity}
    expect(counts[0]).toBe(2);
    expect(counts[1]).toBe(4);
    expect(counts[2]).toBe(4);
    expect(counts[LATENCY_BOUNDS_MS.length - 1]).toBe(5);
    expect(counts[LATENCY_BOUNDS_MS.length]).toBe(7);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts); // monotone
  });

  it('drops a sample exactly when its slice leaves the window', () => {
    const { clock, window } = setup();
    window.record({ failed: true, ttfbMs: 100 });
    clock.advance(59_999);
    expect(window.snapshot()).toMatchObject({ requests: 1, failures: 1 });
    clock.advance(1);
    const s = window.snapshot();
    expect(s).toMatchObject({ requests: 0, failures: 0 });
    expect(s.counts.every((c) => c === 0)).toBe(true);
  });

  it('moves in slice steps: a sample late in a slice expires with its slice', () => {
    const { clock, window } = setup();
    clock.advance(999);
    window.record({ failed: false });
    clock.advance(59_000); // 59.999 s in: still inside
    expect(window.snapshot().requests).toBe(1);
    clock.advance(1); // the sample is only 59.001 s old, but its slice has left
    expect(window.snapshot().requests).toBe(0);
  });

  it('reuses a ring slot without leaking the old slice', () => {
    const { clock, window } = setup();
    window.record({ failed: true, ttfbMs: 20_000 });
    clock.advance(60_000); // same slot, next lap
    window.record({ failed: false, ttfbMs: 7 });
    const s = window.snapshot();
    expect(s).toMatchObject({ requests: 1, failures: 0 });
    expect(s.counts[0]).toBe(0);
    expect(s.counts[1]).toBe(1);
    expect(s.counts.at(-1)).toBe(1);
  });

  it('sums every live slice across the window', () => {
    const { clock, window } = setup(15 * 60_000, 60); // 15 s slices
    for (let i = 0; i < 60; i++) {
      window.record({ failed: i % 10 === 0, ttfbMs: 100 });
      clock.advance(15_000);
    }
    // The first slice has just expired; 59 remain, 5 of them failures (i = 10, 20, …, 50).
    expect(window.snapshot()).toMatchObject({ requests: 59, failures: 5 });
  });

  it('ignores a clock that steps backwards instead of corrupting the ring', () => {
    const clock = { t: 1_700_000_030_000, now() { return this.t; }, sleep: () => Promise.resolve() };
    const window = new SlidingWindow(60_000, clock);
    window.record({ failed: false });
    clock.t -= 45_000;
    window.record({ failed: false });
    expect(window.snapshot().requests).toBe(2);
  });

  it('reset forgets everything', () => {
    const { window } = setup();
    window.record({ failed: true, ttfbMs: 10 });
    window.reset();
    expect(window.snapshot()).toMatchObject({ requests: 0, failures: 0 });
    window.record({ failed: false });
    expect(window.snapshot().requests).toBe(1);
  });

  it('rejects a nonsensical shape', () => {
    const clock = new ManualClock();
    expect(() => new SlidingWindow(0, clock)).toThrow(RangeError);
    expect(() => new SlidingWindow(1000, clock, 0)).toThrow(RangeError);
  });
});

function snapOf(samplesMs: number[], failures = 0): WindowSnapshot {
  const { window } = setup();
  for (const ms of samplesMs) window.record({ failed: false, ttfbMs: ms });
  for (let i = 0; i < failures; i++) window.record({ failed: true });
  return window.snapshot();
}

describe('quantileMs', () => {
  it('is undefined without samples', () => {
    expect(quantileMs(snapOf([], 5), 0.99)).toBeUndefined();
  });

  it('returns the upper bound of the bucket holding rank ceil(q * n)', () => {
    const s = snapOf([...Array<number>(99).fill(80), 2_500]);
    expect(quantileMs(s, 0.99)).toBe(100); // rank 99: an 80 ms sample, bucket le=100
    expect(quantileMs(s, 0.995)).toBe(3000); // rank 100: the 2.5 s sample
    expect(quantileMs(s, 1)).toBe(3000);
    expect(quantileMs(s, 0)).toBe(100); // rank clamps to 1
  });

  it('does not let float noise push the rank up', () => {
    // 0.07 * 100 = 7.000000000000001 in binary floating point.
    const s = snapOf([...Array<number>(7).fill(3), ...Array<number>(93).fill(400)]);
    expect(quantileMs(s, 0.07)).toBe(5);
  });

  it('is Infinity when the rank falls in the +Inf bucket', () => {
    expect(quantileMs(snapOf([120_000, 90_000]), 0.99)).toBe(Infinity);
  });
});

describe('mergeSnapshots', () => {
  it('adds counts and keeps quantiles exact across pods', () => {
    const random = mulberry32(42);
    const all: number[] = [];
    const pods: WindowSnapshot[] = [];
    for (let pod = 0; pod < 5; pod++) {
      const samples = Array.from({ length: 200 + pod * 37 }, () => Math.floor(random() ** 3 * 40_000));
      all.push(...samples);
      pods.push(snapOf(samples, pod));
    }
    const merged = pods.reduce(mergeSnapshots);
    const whole = snapOf(all, 0 + 1 + 2 + 3 + 4);
    expect(merged.counts).toEqual(whole.counts);
    expect(merged.requests).toBe(whole.requests);
    expect(merged.failures).toBe(10);
    for (const q of [0.5, 0.9, 0.99, 0.999]) expect(quantileMs(merged, q)).toBe(quantileMs(whole, q));
  });

  it('gives the fleet p99, not the average of pod p99s', () => {
    const fast = snapOf(Array<number>(1000).fill(30));
    const slow = snapOf(Array<number>(20).fill(1_800));
    expect(quantileMs(fast, 0.99)).toBe(50);
    expect(quantileMs(slow, 0.99)).toBe(2000);
    // 1020 samples, rank ceil(1009.8) = 1010 lies among the 20 slow ones.
    expect(quantileMs(mergeSnapshots(fast, slow), 0.99)).toBe(2000);
  });

  it('throws on different bounds', () => {
    const a = snapOf([10]);
    const b: WindowSnapshot = { ...a, boundsMs: [1, 2], counts: [0, 0, 1] };
    expect(() => mergeSnapshots(a, b)).toThrow(/bounds/);
    const c: WindowSnapshot = { ...a, boundsMs: a.boundsMs.map((x, i) => (i === 3 ? x + 1 : x)) };
    expect(() => mergeSnapshots(a, c)).toThrow(/bounds/);
  });
});

describe('slow samples', () => {
  it('counts samples strictly above the threshold, expires them with their slice, and merges them', () => {
    const clock = new ManualClock();
    const w = new SlidingWindow(60_000, clock, 60, 2900);
    w.record({ failed: false, ttfbMs: 2900 });
    w.record({ failed: false, ttfbMs: 2901 });
    w.record({ failed: true });
    expect(w.snapshot()).toMatchObject({ slowAboveMs: 2900, slow: 1 });
    const other = new SlidingWindow(60_000, clock, 60, 2900);
    other.record({ failed: false, ttfbMs: 5000 });
    expect(mergeSnapshots(w.snapshot(), other.snapshot())).toMatchObject({ slowAboveMs: 2900, slow: 2 });
    const older = new SlidingWindow(60_000, clock, 60, 2000);
    older.record({ failed: false, ttfbMs: 2500 });
    expect(mergeSnapshots(w.snapshot(), older.snapshot()).slow).toBeUndefined();
    clock.advance(60_000);
    expect(w.snapshot()).toMatchObject({ slow: 0, requests: 0 });
  });
});
