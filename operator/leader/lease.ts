/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as a pure state
 * machine (client-go's leaderelection `tryAcquireOrRenew`, without its
 * goroutines): the Lease as read and the time in, the write to attempt and
 * the new state out. elector.ts carries it out.
 *
 * States (`ElectionState.leading`):
 * - follower: someone else holds an unexpired Lease → wait and read again.
 * - candidate → leader: the Lease is missing (create it), empty (released)
 *   or expired (take it over: new holder, `acquireTime`, `leaseTransitions`+1)
 *   and our write succeeds.
 * - leader: renew (`renewTime`) every renew period; the write is conditional
 *   on the resourceVersion read, so of two replicas racing one gets 409.
 * - leader → follower: a read shows another holder, or no renew succeeded
 *   within `renewDeadlineMs` (`isLeading` turns false on its own at that
 *   moment, even when the loop is stuck, so writes stop at once).
 *
 * Expiry is judged on the local clock from when this replica last saw the
 * record change (`observed.at`) — never by comparing our clock with the
 * holder's `renewTime` — so clock skew between nodes cannot elect two leaders.
 */

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface ElectionConfig {
  identity: string;
  /** Written into the Lease: how long others wait after the last renew. Default 15 s. */
  leaseDurationSeconds: number;
  /** A leader that could not renew for this long stops leading. Below the lease duration. Default 10 s. */
  renewDeadlineMs: number;
}

export interface ElectionState {
  /** The record as last read, and the local time it last changed. */
  observed?: { record: string; at: number };
  leading: boolean;
  /** Local time of the last successful acquire or renew. */
  lastRenew?: number;
}

export type LeaseWrite = { kind: 'create'; spec: LeaseSpec } | { kind: 'update'; spec: LeaseSpec; resourceVersion: string };

export interface LeaseStep {
  state: ElectionState;
  /** undefined: someone else leads; wait. */
  write?: LeaseWrite;
  /** The current holder, for logs. */
  holder?: string;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function recordOf(spec: LeaseSpec): string {
  return JSON.stringify([spec.holderIdentity ?? '', spec.leaseDurationSeconds ?? 0, spec.renewTime ?? '', spec.acquireTime ?? '', spec.leaseTransitions ?? 0]);
}

export function initialState(): ElectionState {
  return { leading: false };
}

/** Still the leader at `now`: the last renew is younger than the renew deadline. */
export function isLeading(cfg: ElectionConfig, s: ElectionState, now: number): boolean {
  return s.leading && s.lastRenew !== undefined && now - s.lastRenew < cfg.renewDeadlineMs;
}

/** What to do with the Lease as read (`undefined`: it does not exist). */
export function nextLeaseStep(cfg: ElectionConfig, s: ElectionState, lease: { spec: LeaseSpec; resourceVersion: string } | undefined, now: number): LeaseStep {
  const fresh: LeaseSpec = {
    holderIdentity: cfg.identity,
    leaseDurationSeconds: cfg.leaseDurationSeconds,
    acquireTime: microTime(now),
    renewTime: microTime(now),
    leaseTransitions: 0,
  };
  if (lease === undefined) return { state: { ...s, leading: isLeading(cfg, s, now) }, write: { kind: 'create', spec: fresh } };

  const record = recordOf(lease.spec);
  const observed = s.observed?.record === record ? s.observed : { record, at: now };
  const holder = lease.spec.holderIdentity ?? '';
  if (holder !== '' && holder !== cfg.identity) {
    const expired = observed.at + (lease.spec.leaseDurationSeconds ?? cfg.leaseDurationSeconds) * 1000 <= now;
    if (!expired) return { state: { observed, leading: false }, holder };
  }
  const state: ElectionState = { ...s, observed, leading: isLeading(cfg, s, now) };
  if (holder === cfg.identity) {
    return { state, holder, write: { kind: 'update', resourceVersion: lease.resourceVersion, spec: { ...lease.spec, leaseDurationSeconds: cfg.leaseDurationSeconds, renewTime: microTime(now) } } };
  }
  // Released (empty holder) or expired: take it over.
  return {
    state,
    holder,
    write: { kind: 'update', resourceVersion: lease.resourceVersion, spec: { ...fresh, leaseTransitions: (lease.spec.leaseTransitions ?? 0) + 1 } },
  };
}

/** The outcome of the write `nextLeaseStep` asked for. */
export function afterWrite(cfg: ElectionConfig, s: ElectionState, written: LeaseSpec | undefined, now: number): ElectionState {
  if (written !== undefined) return { observed: { record: recordOf(written), at: now }, leading: true, lastRenew: now };
  return { ...s, leading: isLeading(cfg, s, now) };
}

/** The Lease a leader writes on shutdown: empty holder, 1 s duration — the next candidate takes over at its next try. */
export function releasedSpec(spec: LeaseSpec, now: number): LeaseSpec {
  return { ...spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now) };
}
