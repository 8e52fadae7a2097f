/**
 * The rollback verdict and the pod-local rollback it drives.
 *
 * `judge` is the predicate, shared with the operator (which feeds it the
 * merged fleet window). `PodRollback` is the sidecar's memory of a breach:
 * on a breach with `action: rollback` it sends this pod's traffic to the
 * official side within one evaluation, without waiting for the operator.
 */
import type { Clock } from '../clock.js';
import type { RollbackPolicy } from '../config/route.js';
import { quantileAbove, quantileMs, type WindowSnapshot } from './window.js';

export type Verdict =
  | { breach: false }
  | { breach: true; reason: 'error_rate' | 'p99_latency'; value: number; threshold: number };

/**
 * Is the relay worse than the thresholds? Nothing is judged below
 * `minRequests` relay-routed requests. The error rate is checked first
 * (failures / requests > maxErrorRate), then the p99 time to first byte
 * (> maxP99LatencyMs).
 *
 * The p99 verdict means what the threshold says: the window counts, exactly,
 * the samples slower than `maxP99LatencyMs`, and the p99 (nearest rank) is
 * above the threshold exactly when fewer than ⌈0.99·n⌉ samples are at or
 * below it — wherever the bucket bounds fall (`quantileAbove`). The value
 * reported is the bucket estimate, an upper bound of the true p99, so it is
 * always above the threshold when the verdict is. A window with no latency
 * samples has no p99 and cannot breach on latency.
 */
export function judge(policy: RollbackPolicy, relay: WindowSnapshot): Verdict {
  if (relay.requests <= 0 || relay.requests < policy.minRequests) return { breach: false };
  const errorRate = relay.failures / relay.requests;
  if (errorRate > policy.maxErrorRate) {
    return { breach: true, reason: 'error_rate', value: errorRate, threshold: policy.maxErrorRate };
  }
  if (quantileAbove(relay, 0.99, policy.maxP99LatencyMs)) {
    const p99 = quantileMs(relay, 0.99) ?? Infinity;
    return { breach: true, reason: 'p99_latency', value: p99, threshold: policy.maxP99LatencyMs };
  }
  return { breach: false };
}

export interface RollbackState {
  reason: 'error_rate' | 'p99_latency';
  /** The measured error rate (0–1) or p99 in ms (Infinity: beyond the last bucket). */
  value: number;
  threshold: number;
  /** Clock time of the transition into breach. */
  at: number;
  /** The route generation the breach happened under. */
  generation: number;
  action: 'rollback' | 'alert';
}

/**
 * Pod-local rollback state.
 *
 * Once breached, the state holds until the route's generation changes (the
 * user set the weight again or ran `kubectl relay resume`), whatever the
 * window says afterwards: after a rollback it goes quiet because no traffic
 * reaches the relay, and a verdict flapping around a threshold must not
 * flap the traffic or the alert. The two actions differ only in the weight:
 * - `rollback`: `effectiveWeight` is 0, this pod's traffic goes official.
 * - `alert`: reports only; `active` is set and the weight is untouched.
 *
 * When `onGeneration` returns true the caller should also `reset()` the
 * relay window: otherwise the samples that caused the rollback are judged
 * again and the resumed canary rolls straight back.
 */
export class PodRollback {
  readonly #clock: Clock;
  #active: RollbackState | undefined;
  #generation: number | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get active(): RollbackState | undefined {
    return this.#active;
  }

  /**
   * Judge the relay window. Returns the new state only on the transition
   * into breach; undefined otherwise (no breach, or a state already held,
   * in which case the window is not even judged).
   * A generation different from the last one seen is applied first, as
   * `onGeneration` would.
   */
  observe(policy: RollbackPolicy, relay: WindowSnapshot, generation: number): RollbackState | undefined {
    this.onGeneration(generation);
    if (this.#active !== undefined) return undefined; // held: not a new transition
    const verdict = judge(policy, relay);
    if (!verdict.breach) return undefined;
    const { reason, value, threshold } = verdict;
    this.#active = { reason, value, threshold, at: this.#clock.now(), generation, action: policy.action };
    return this.#active;
  }

  /** A route generation was loaded. True when that cleared a held state. */
  onGeneration(generation: number): boolean {
    if (generation === this.#generation) return false;
    this.#generation = generation;
    if (this.#active === undefined) return false;
    this.#active = undefined;
    return true;
  }

  /** The canary weight to use: 0 while a rollback holds, else the desired weight. */
  effectiveWeight(desired: number): number {
    return this.#active?.action === 'rollback' ? 0 : desired;
  }
}
