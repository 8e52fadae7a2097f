import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sidecar/clock.js';
import { afterWrite, initialState, isLeading, nextLeaseStep, releasedSpec, type ElectionConfig, type ElectionState, type LeaseSpec } from './lease.js';

const cfg = (identity: string): ElectionConfig => ({ identity, leaseDurationSeconds: 15, renewDeadlineMs: 10_000 });

/** A stored Lease with a resourceVersion, written the way the API server would (409 on a stale version). */
class Store {
  spec: LeaseSpec | undefined;
  rv = 0;
  read() {
    return this.spec ? { spec: { ...this.spec }, resourceVersion: String(this.rv) } : undefined;
  }
  write(w: NonNullable<ReturnType<typeof nextLeaseStep>['write']>): boolean {
    if (w.kind === 'create' ? this.spec !== undefined : w.resourceVersion !== String(this.rv)) return false;
    this.spec = w.spec;
    this.rv++;
    return true;
  }
}

/** One round of a replica against the store. */
function round(c: ElectionConfig, s: ElectionState, store: Store, now: number): ElectionState {
  const step = nextLeaseStep(c, s, store.read(), now);
  if (!step.write) return step.state;
  return afterWrite(c, step.state, store.write(step.write) ? step.write.spec : undefined, now);
}

describe('lease state machine', () => {
  it('creates a missing Lease and leads', () => {
    const clock = new ManualClock();
    const store = new Store();
    const a = round(cfg('a'), initialState(), store, clock.now());
    expect(isLeading(cfg('a'), a, clock.now())).toBe(true);
    expect(store.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(store.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('a follower waits while the holder renews, and takes over only after the lease expired on its own clock', () => {
    const clock = new ManualClock();
    const store = new Store();
    let a = round(cfg('a'), initialState(), store, clock.now());
    let b = round(cfg('b'), initialState(), store, clock.now());
    expect(isLeading(cfg('b'), b, clock.now())).toBe(false);
    for (let i = 0; i < 5; i++) {
      clock.advance(5000);
      a = round(cfg('a'), a, store, clock.now());
      b = round(cfg('b'), b, store, clock.now());
      expect(isLeading(cfg('a'), a, clock.now())).toBe(true);
      expect(isLeading(cfg('b'), b, clock.now())).toBe(false);
    }
    const acquired = store.spec?.acquireTime;
    expect(store.spec?.renewTime).not.toBe(acquired); // renewed, acquireTime kept
    // a stops renewing (crashed). b saw the last change now; 14.999 s later it still waits.
    clock.advance(14_999);
    b = round(cfg('b'), b, store, clock.now());
    expect(store.spec?.holderIdentity).toBe('a');
    clock.advance(1);
    b = round(cfg('b'), b, store, clock.now());
    expect(isLeading(cfg('b'), b, clock.now())).toBe(true);
    expect(store.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('a leader that cannot renew stops leading at the renew deadline, without another round', () => {
    const clock = new ManualClock();
    const store = new Store();
    let a = round(cfg('a'), initialState(), store, clock.now());
    clock.advance(5000);
    store.rv++; // someone else wrote: a's renew gets 409
    a = round(cfg('a'), { ...a }, { ...store, read: () => ({ spec: store.spec!, resourceVersion: 'stale' }), write: () => false } as unknown as Store, clock.now());
    expect(isLeading(cfg('a'), a, clock.now())).toBe(true); // within the deadline
    clock.advance(4999);
    expect(isLeading(cfg('a'), a, clock.now())).toBe(true);
    clock.advance(1);
    expect(isLeading(cfg('a'), a, clock.now())).toBe(false);
  });

  it('a leader that reads another holder stops leading at once', () => {
    const clock = new ManualClock();
    const store = new Store();
    let a = round(cfg('a'), initialState(), store, clock.now());
    store.spec = { ...store.spec, holderIdentity: 'b' };
    store.rv++;
    a = round(cfg('a'), a, store, clock.now());
    expect(isLeading(cfg('a'), a, clock.now())).toBe(false);
  });

  it('of two candidates racing for a free Lease, one wins', () => {
    const clock = new ManualClock();
    const store = new Store();
    store.spec = releasedSpec({ holderIdentity: 'old', leaseDurationSeconds: 15, leaseTransitions: 3 }, clock.now());
    const read = store.read();
    const sa = nextLeaseStep(cfg('a'), initialState(), read, clock.now());
    const sb = nextLeaseStep(cfg('b'), initialState(), read, clock.now());
    const a = afterWrite(cfg('a'), sa.state, store.write(sa.write!) ? sa.write!.spec : undefined, clock.now());
    const b = afterWrite(cfg('b'), sb.state, store.write(sb.write!) ? sb.write!.spec : undefined, clock.now());
    expect([isLeading(cfg('a'), a, clock.now()), isLeading(cfg('b'), b, clock.now())]).toEqual([true, false]);
    expect(store.spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 4 });
  });

  it('a released Lease (empty holder) is taken over at the next try, not after the lease duration', () => {
    const clock = new ManualClock();
    const store = new Store();
    round(cfg('a'), initialState(), store, clock.now());
    let b = round(cfg('b'), initialState(), store, clock.now());
    clock.advance(1000);
    store.spec = releasedSpec(store.spec!, clock.now());
    store.rv++;
    expect(store.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    b = round(cfg('b'), b, store, clock.now());
    expect(isLeading(cfg('b'), b, clock.now())).toBe(true);
    expect(store.spec?.holderIdentity).toBe('b');
  });
});
