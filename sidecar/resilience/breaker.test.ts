import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import type { BreakerPolicy, Side } from '../config/route.js';
import { Breaker, BreakerSet, type BreakerState, type Permit } from './breaker.js';

const policy: BreakerPolicy = { consecutiveFailures: 3, cooldownMs: 30_000 };

function setup(p: BreakerPolicy = policy) {
  const clock = new ManualClock();
  const transitions: Array<[BreakerState, BreakerState]> = [];
  const breaker = new Breaker(p, clock, (from, to) => transitions.push([from, to]));
  return { clock, breaker, transitions };
}

function trip(b: Breaker, n = policy.consecutiveFailures): void {
  for (let i = 0; i < n; i++) b.onFailure(admit(b));
}

function admit(b: Breaker): Permit {
  const p = b.tryAcquire();
  expect(p).toBeDefined();
  return p!;
}

describe('Breaker', () => {
  it('admits everything while closed and opens after N consecutive failures', () => {
    const { clock, breaker, transitions } = setup();
    trip(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 2 });
    breaker.onFailure(admit(breaker));
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
    breaker.onSuccess(admit(breaker));
    trip(breaker, 2);
    expect(breaker.state).toBe('closed');
    breaker.onFailure(admit(breaker));
    expect(breaker.state).toBe('open');
  });

  it('refuses until the cooldown has elapsed, to the millisecond', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(29_999);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.state).toBe('open');
    clock.advance(1);
    // Once the cooldown has passed, a look is enough: an idle model does not read "open" forever.
    expect(breaker.state).toBe('half_open');
    expect(breaker.snapshot().nextProbeAt).toBeUndefined();
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined(); // the probe is out
  });

  it('reset closes it with a clean slate', () => {
    const { breaker } = setup();
    trip(breaker);
    breaker.reset();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it('admits exactly one probe while half-open', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(30_000);
    const admitted = Array.from({ length: 50 }, () => breaker.tryAcquire()).filter((p) => p !== undefined);
    expect(admitted).toHaveLength(1);
    clock.advance(60_000); // time does not release the probe either
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('closes on probe success and resets the counter', () => {
    const { clock, breaker, transitions } = setup();
    trip(breaker);
    clock.advance(30_000);
    breaker.onSuccess(admit(breaker));
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
    breaker.onFailure(admit(breaker));
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().openedAt).toBe(clock.now());
    expect(breaker.snapshot().nextProbeAt).toBe(clock.now() + 30_000);
    clock.advance(29_999);
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.advance(1);
    expect(breaker.tryAcquire()).toBeDefined();
    expect(transitions.map(([, to]) => to)).toEqual(['open', 'half_open', 'open', 'half_open']);
  });

  it('lets a new probe go when the probe is released without a verdict', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(30_000);
    const probe = admit(breaker);
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.release(probe);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('release is a no-op while closed or open', () => {
    const { breaker } = setup();
    const p = admit(breaker);
    breaker.release(p);
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    trip(breaker);
    breaker.release(p);
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('ignores late verdicts from requests admitted before the trip', () => {
    const { clock, breaker } = setup();
    const early = [admit(breaker), admit(breaker)];
    trip(breaker);
    const openedAt = breaker.snapshot().openedAt;
    clock.advance(10_000);
    breaker.onFailure(early[0]!);
    breaker.onSuccess(early[1]!);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot().openedAt).toBe(openedAt);
  });

  it('a late success from before the trip cannot close a half-open breaker behind its probe', () => {
    const { clock, breaker } = setup();
    const early = admit(breaker);
    trip(breaker);
    clock.advance(30_000);
    const probe = admit(breaker);
    breaker.onSuccess(early); // admitted while closed, answers now: not the probe
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBeUndefined(); // the probe is still out
    breaker.onFailure(probe);
    expect(breaker.state).toBe('open');
  });

  it('a probe verdict arriving after a reset does not touch the new era', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    clock.advance(30_000);
    const probe = admit(breaker);
    breaker.reset();
    breaker.onFailure(probe);
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });

  it('applies a new threshold from setPolicy without losing state', () => {
    const { breaker } = setup();
    trip(breaker, 2);
    breaker.setPolicy({ consecutiveFailures: 10, cooldownMs: 1_000 });
    breaker.onFailure(admit(breaker));
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 3 });
  });

  it('uses the new cooldown for an already-open breaker', () => {
    const { clock, breaker } = setup();
    trip(breaker);
    breaker.setPolicy({ consecutiveFailures: 3, cooldownMs: 1_000 });
    clock.advance(1_000);
    expect(breaker.tryAcquire()).toBeDefined();
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
    expect(a.tryAcquire()).toBeDefined();
    const b = set.get('relay', 'b');
    b.onFailure(admit(b));
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
