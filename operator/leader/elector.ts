/**
 * The leader-election loop around lease.ts: read the Lease, do what the state
 * machine says, sleep (`renewPeriodMs` while leading, `retryPeriodMs` while
 * not), repeat. `isLeader()` asks the state machine at the moment of the call,
 * so a replica whose renewals stopped succeeding stops writing once the
 * renew deadline has passed, without waiting for the loop. `stop()` releases
 * the Lease (empty holder, 1 s) so the other replica takes over at its next
 * try instead of after the full lease duration.
 */
import type { V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../sidecar/clock.js';
import type { KubeClient } from '../kube/client.js';
import { afterWrite, initialState, isLeading, nextLeaseStep, releasedSpec, type ElectionConfig, type ElectionState, type LeaseSpec } from './lease.js';

export const LEASE_NAME = 'bellwether-operator';

export interface ElectorOptions {
  kube: KubeClient;
  namespace: string;
  identity: string;
  clock: Clock;
  log: Logger;
  name?: string;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  /** How often the leader renews. Default 5 s. */
  renewPeriodMs?: number;
  /** How often a follower tries. Default 2 s. */
  retryPeriodMs?: number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
}

function specOf(l: V1Lease): LeaseSpec {
  const s = l.spec ?? {};
  const out: LeaseSpec = {};
  if (s.holderIdentity !== undefined) out.holderIdentity = s.holderIdentity;
  if (s.leaseDurationSeconds !== undefined) out.leaseDurationSeconds = s.leaseDurationSeconds;
  if (s.acquireTime !== undefined) out.acquireTime = String(s.acquireTime);
  if (s.renewTime !== undefined) out.renewTime = String(s.renewTime);
  if (s.leaseTransitions !== undefined) out.leaseTransitions = s.leaseTransitions;
  return out;
}

export class LeaderElector {
  readonly #o: ElectorOptions;
  readonly #cfg: ElectionConfig;
  readonly #stop = new AbortController();
  #state: ElectionState = initialState();
  #wasLeading = false;
  #loop: Promise<void> | undefined;

  constructor(o: ElectorOptions) {
    this.#o = o;
    this.#cfg = { identity: o.identity, leaseDurationSeconds: o.leaseDurationSeconds ?? 15, renewDeadlineMs: o.renewDeadlineMs ?? 10_000 };
  }

  get name(): string {
    return this.#o.name ?? LEASE_NAME;
  }

  isLeader(): boolean {
    return !this.#stop.signal.aborted && isLeading(this.#cfg, this.#state, this.#o.clock.now());
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** One read-decide-write round; exported for tests that drive the clock by hand. */
  async tick(): Promise<void> {
    const { kube, namespace, clock, log } = this.#o;
    const now = clock.now();
    try {
      const lease = await kube.getLease(namespace, this.name);
      const step = nextLeaseStep(this.#cfg, this.#state, lease ? { spec: specOf(lease), resourceVersion: lease.metadata?.resourceVersion ?? '' } : undefined, now);
      this.#state = step.state;
      if (step.write) {
        const body: V1Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.name, namespace, ...(step.write.kind === 'update' ? { resourceVersion: step.write.resourceVersion } : {}) },
          spec: step.write.spec as V1Lease['spec'],
        };
        try {
          await (step.write.kind === 'create' ? kube.createLease(body) : kube.replaceLease(body));
          this.#state = afterWrite(this.#cfg, this.#state, step.write.spec, clock.now());
        } catch (err) {
          this.#state = afterWrite(this.#cfg, this.#state, undefined, clock.now());
          log.debug({ lease: this.name, err: err instanceof Error ? err.message : String(err) }, 'lease write lost');
        }
      }
    } catch (err) {
      this.#state = afterWrite(this.#cfg, this.#state, undefined, clock.now());
      log.warn({ lease: this.name, err: err instanceof Error ? err.message : String(err) }, 'reading the lease failed');
    }
    this.#notify();
  }

  #notify(): void {
    const leading = this.isLeader();
    if (leading === this.#wasLeading) return;
    this.#wasLeading = leading;
    this.#o.log.info({ lease: `${this.#o.namespace}/${this.name}`, identity: this.#o.identity }, leading ? 'became the leader' : 'stopped leading');
    (leading ? this.#o.onStartedLeading : this.#o.onStoppedLeading)?.();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      await this.tick();
      const wait = this.isLeader() ? (this.#o.renewPeriodMs ?? 5000) : (this.#o.retryPeriodMs ?? 2000);
      try {
        await this.#o.clock.sleep(wait, signal);
      } catch {
        break;
      }
      this.#notify();
    }
  }

  /** Stop campaigning; a leader releases the Lease. */
  async stop(): Promise<void> {
    const wasLeading = isLeading(this.#cfg, this.#state, this.#o.clock.now());
    this.#stop.abort();
    await this.#loop;
    if (wasLeading) {
      try {
        const lease = await this.#o.kube.getLease(this.#o.namespace, this.name);
        if (lease?.spec?.holderIdentity === this.#o.identity) {
          await this.#o.kube.replaceLease({ ...lease, spec: releasedSpec(specOf(lease), this.#o.clock.now()) as V1Lease['spec'] });
          this.#o.log.info({ lease: `${this.#o.namespace}/${this.name}` }, 'released the lease');
        }
      } catch (err) {
        this.#o.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'releasing the lease failed; the other replica takes over when it expires');
      }
    }
    this.#state = { ...this.#state, leading: false };
    this.#notify();
  }
}
