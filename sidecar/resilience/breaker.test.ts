import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { BreakerPolicy, Side } from '../config/route.js';
import { Breaker, BreakerSet, type BreakerState } from './breaker.js';

const policy: BreakerPolicy = { consecutiveFailures: 3, cooldownMs: 30_000 };

function setup(p: BreakerPolicy = policy) {
  const clock = new ManualClock();
  const transitions: Array<[BreakerState, BreakerState]> = [];
  const breaker = new Breaker(p, clock, (from, to) => transitions.push([from, to]));
  return { clock, breaker, transitions };
}

function trip(b: Breaker, n = policy.consecutiveFailures): void {
  for (let i = 0; i < n; i++) {
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
  }
}

describe('Breaker', () => {
  it('admits everything while closed and opens after N consecutive failures', () => {
    const { clock, breaker, transitions } = setup();
    trip(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 2 });
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([['closed', 'open']]);
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      consecutiveFailures: 3,
      openedAt: clock.now(),
      nextProbeAt: clock.now() + 30_000,
    });
  });

  it('resets the consecutive counter on a success while closed', () => {
    const { breaker } = setup();
    trip(breaker, 2);
    breaker.onSuccess();
    trip(breaker, 2);
    expect(breaker.state).toBe('closed');
    breaker.onFailure();
    expect(breaker.state).toBe('open');
  });

  it('refuses until the cooldown has elapsed, to the millisecond', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(29_999);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    // Once the cooldown has passed, a look is enough: an idle model does not read "open" forever.
    expect(breaker.state).toBe('half_open');
    expect(breaker.snapshot().nextProbeAt).toBeUndefined();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // the probe is out
  });

  it('reset closes it with a clean slate', () => {
    const { breaker } = setup();
    trip(breaker);
    breaker.reset();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('admits exactly one probe while half-open', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(30_000);
    const admitted = Array.from({ length: 50 }, () => breaker.tryAcquire()).filter(Boolean);
    expect(admitted).toHaveLength(1);
    clock.advance(60_000); // time does not release the probe either
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('closes on probe success and resets the counter', () => {
    const { clock, breaker, transitions } = setup();
    trip(breaker);
    clock.advance(30_000);
    breaker.tryAcquire();
    breaker.onSuccess();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
    trip(breaker, 2); // needs a full N again
    expect(breaker.state).toBe('closed');
  });

  it('reopens with a fresh cooldown on probe failure', () => {
    const { clock, breaker, transitions } = setup();
    trip(breaker);
    clock.advance(45_000);
    breaker.tryAcquire();
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().openedAt).toBe(clock.now());
    expect(breaker.snapshot().nextProbeAt).toBe(clock.now() + 30_000);
    clock.advance(29_999);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions.map(([, to]) => to)).toEqual(['open', 'half_open', 'open', 'half_open']);
  });

  it('lets a new probe go when the probe is released without a verdict', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(30_000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.release();
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('release is a no-op while closed or open', () => {
    const { breaker } = setup();
    breaker.tryAcquire();
    breaker.release();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    trip(breaker);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('ignores late verdicts from requests admitted before the trip', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    const openedAt = breaker.snapshot().openedAt;
    clock.advance(10_000);
    breaker.onFailure();
    breaker.onSuccess();
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().openedAt).toBe(openedAt);
  });

  it('applies a new threshold from setPolicy without losing state', () => {
    const { breaker } = setup();
    trip(breaker, 2);
    breaker.setPolicy({ consecutiveFailures: 10, cooldownMs: 1_000 });
    breaker.onFailure();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 3 });
  });

  it('uses the new cooldown for an already-open breaker', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    breaker.setPolicy({ consecutiveFailures: 3, cooldownMs: 1_000 });
    clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
  });
});

describe('BreakerSet', () => {
  it('keeps one breaker per side and model, created lazily', () => {
    const clock = new ManualClock();
    const seen: Array<[Side, string, BreakerState, BreakerState]> = [];
    const set = new BreakerSet(policy, clock, (...t) => seen.push(t));
    expect(set.snapshot()).toEqual([]);
    const relayKimi = set.get('relay', 'kimi-k2');
    expect(set.get('relay', 'kimi-k2')).toBe(relayKimi);
    expect(set.get('official', 'kimi-k2')).not.toBe(relayKimi);
    trip(relayKimi);
    expect(seen).toEqual([['relay', 'kimi-k2', 'closed', 'open']]);
    expect(set.get('official', 'kimi-k2').state).toBe('closed');
  });

  it('snapshots in a stable order with side and model', () => {
    const clock = new ManualClock();
    const set = new BreakerSet(policy, clock);
    set.get('relay', 'kimi-k2');
    set.get('relay', 'deepseek-chat');
    set.get('official', 'gpt-4.1');
    trip(set.get('relay', 'kimi-k2'));
    expect(set.snapshot()).toEqual([
      { side: 'official', model: 'gpt-4.1', state: 'closed', consecutiveFailures: 0 },
      { side: 'relay', model: 'deepseek-chat', state: 'closed', consecutiveFailures: 0 },
      {
        side: 'relay',
        model: 'kimi-k2',
        state: 'open',
        consecutiveFailures: 3,
        openedAt: clock.now(),
        nextProbeAt: clock.now() + 30_000,
      },
    ]);
  });

  it('setPolicy keeps states and applies to existing and new breakers', () => {
    const clock = new ManualClock();
    const set = new BreakerSet(policy, clock);
    const a = set.get('relay', 'a');
    trip(a);
    set.setPolicy({ consecutiveFailures: 1, cooldownMs: 5_000 });
    expect(a.state).toBe('open');
    clock.advance(5_000);
    expect(a.tryAcquire()).toBe(true);
    const b = set.get('relay', 'b');
    b.tryAcquire();
    b.onFailure();
    expect(b.state).toBe('open');
  });

  it('retain drops breakers for models no longer named', () => {
    const set = new BreakerSet(policy, new ManualClock());
    set.get('relay', 'a');
    set.get('relay', 'b');
    set.retain(new Set(['b']));
    expect(set.snapshot().map((s) => s.model)).toEqual(['b']);
  });
});
