/**
 * A consecutive-failures circuit breaker per relay model, as an explicit
 * state machine. (The official API has none: bellwether never skips it, so a
 * breaker can never turn the official API's own 429s into the sidecar's 503s.)
 *
 * The caller brackets every upstream attempt with a permit:
 *
 *     const permit = breaker.tryAcquire();
 *     if (!permit) skip this model;
 *     ...attempt...
 *     breaker.onSuccess(permit) | breaker.onFailure(permit) | breaker.release(permit)
 *
 * A verdict counts only for the permit's own era: each trip starts a new
 * epoch, so a request admitted before the breaker opened can neither extend
 * the cooldown nor close the breaker, and while half-open only the probe's
 * own verdict decides (a late success from an older request does not close
 * it behind the probe's back).
 */
import type { Clock } from '../clock.js';
import type { BreakerPolicy, Side } from '../config/route.js';

/**
 * - `closed`: healthy. Every request is admitted. Each failure increments
 *   `consecutiveFailures`, each success resets it to 0; reaching
 *   `policy.consecutiveFailures` trips the breaker → `open`.
 * - `open`: the model is skipped. Every request is refused until
 *   `cooldownMs` has passed since `openedAt`; then the breaker is
 *   `half_open` the next time anyone looks (a request, `/status`, a metrics
 *   scrape), so an idle model does not read "open" forever.
 * - `half_open`: ready for one probe; the next `tryAcquire` admits it and
 *   refuses everything else while it is out.
 *   Probe success → `closed` (counter reset). Probe failure → `open` with a
 *   fresh cooldown. Probe released without a verdict (the app went away) →
 *   stays `half_open` and the next `tryAcquire` sends a new probe.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** What `tryAcquire` hands out; give it back with exactly one verdict or `release`. */
export interface Permit {
  readonly epoch: number;
  readonly probe: boolean;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  /** When the breaker last tripped; set while open or half-open. */
  openedAt?: number;
  /** When an open breaker will admit its probe. Set only while open. */
  nextProbeAt?: number;
}

export class Breaker {
  #policy: BreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: ((from: BreakerState, to: BreakerState) => void) | undefined;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt: number | undefined;
  #probeOut = false;
  /** Bumped on every trip and reset: verdicts from permits of an older epoch are ignored. */
  #epoch = 0;
  #permit: Permit = { epoch: 0, probe: false };

  constructor(
    policy: BreakerPolicy,
    clock: Clock,
    onTransition?: (from: BreakerState, to: BreakerState) => void,
  ) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onTransition = onTransition;
  }

  get state(): BreakerState {
    this.#refresh();
    return this.#state;
  }

  /** Swap thresholds on a config reload; the current state is kept. */
  setPolicy(policy: BreakerPolicy): void {
    this.#policy = policy;
  }

  /** May a request go to this model now? A permit obliges the caller to report a verdict or `release` it. */
  tryAcquire(): Permit | undefined {
    this.#refresh();
    switch (this.#state) {
      case 'closed':
        return this.#permit; // one shared permit per closed epoch: no allocation on the hot path
      case 'open':
        return undefined;
      case 'half_open':
        if (this.#probeOut) return undefined;
        this.#probeOut = true;
        return { epoch: this.#epoch, probe: true };
    }
  }

  onSuccess(permit: Permit): void {
    if (!this.#counts(permit)) return;
    if (this.#state === 'half_open') {
      this.#failures = 0;
      this.#openedAt = undefined;
      this.#probeOut = false;
      this.#newEpoch();
      this.#moveTo('closed');
      return;
    }
    this.#failures = 0;
  }

  onFailure(permit: Permit): void {
    if (!this.#counts(permit)) return;
    this.#failures += 1;
    if (this.#state === 'half_open' || this.#failures >= Math.max(1, this.#policy.consecutiveFailures)) this.#trip();
  }

  /** The admitted request ended without a verdict (cancelled by the app). */
  release(permit: Permit): void {
    if (permit.probe && permit.epoch === this.#epoch && this.#state === 'half_open') this.#probeOut = false;
  }

  /** Back to `closed` with a clean slate (a new config generation resumes the relay). */
  reset(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#probeOut = false;
    this.#newEpoch();
    this.#moveTo('closed');
  }

  snapshot(): BreakerSnapshot {
    this.#refresh();
    const snap: BreakerSnapshot = { state: this.#state, consecutiveFailures: this.#failures };
    if (this.#openedAt !== undefined) snap.openedAt = this.#openedAt;
    if (this.#state === 'open') snap.nextProbeAt = this.#nextProbeAt();
    return snap;
  }

  /** Does this permit's verdict count now? Closed: permits of this epoch. Half-open: only the probe. Open: none. */
  #counts(permit: Permit): boolean {
    this.#refresh();
    if (permit.epoch !== this.#epoch) return false;
    if (this.#state === 'closed') return !permit.probe;
    return this.#state === 'half_open' && permit.probe && this.#probeOut;
  }

  /** open → half_open once the cooldown has passed. */
  #refresh(): void {
    if (this.#state === 'open' && this.#clock.now() >= this.#nextProbeAt()) {
      this.#probeOut = false;
      this.#moveTo('half_open');
    }
  }

  #nextProbeAt(): number {
    return (this.#openedAt ?? 0) + this.#policy.cooldownMs;
  }

  #trip(): void {
    this.#openedAt = this.#clock.now();
    this.#probeOut = false;
    this.#newEpoch();
    this.#moveTo('open');
  }

  #newEpoch(): void {
    this.#epoch += 1;
    this.#permit = { epoch: this.#epoch, probe: false };
  }

  #moveTo(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    if (from !== to) this.#onTransition?.(from, to);
  }
}

/**
 * One breaker per (side, model), created on first use. The set stays bounded
 * because the caller only asks for models the route names; `retain` drops
 * the ones a reload stopped naming.
 */
export class BreakerSet {
  #policy: BreakerPolicy;
  readonly #clock: Clock;
  readonly #onTransition: ((side: Side, model: string, from: BreakerState, to: BreakerState) => void) | undefined;
  readonly #breakers = new Map<string, { side: Side; model: string; breaker: Breaker }>();

  constructor(
    policy: BreakerPolicy,
    clock: Clock,
    onTransition?: (side: Side, model: string, from: BreakerState, to: BreakerState) => void,
  ) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onTransition = onTransition;
  }

  get(side: Side, model: string): Breaker {
    const key = `${side}\0${model}`;
    let entry = this.#breakers.get(key);
    if (entry === undefined) {
      const notify = this.#onTransition;
      const breaker = new Breaker(
        this.#policy,
        this.#clock,
        notify && ((from, to) => notify(side, model, from, to)),
      );
      entry = { side, model, breaker };
      this.#breakers.set(key, entry);
    }
    return entry.breaker;
  }

  /**
   * A model's breaker state, read only: takes no permit (not even a half-open
   * probe) and creates no breaker for a model never called (`closed`).
   */
  peek(side: Side, model: string): BreakerState {
    return this.#breakers.get(`${side}\0${model}`)?.breaker.state ?? 'closed';
  }

  /** New thresholds for every breaker, present and future; states are kept. */
  setPolicy(policy: BreakerPolicy): void {
    this.#policy = policy;
    for (const { breaker } of this.#breakers.values()) breaker.setPolicy(policy);
  }

  /** Forget breakers whose model is no longer named by the route. */
  retain(models: ReadonlySet<string>): void {
    for (const [key, { model }] of this.#breakers) {
      if (!models.has(model)) this.#breakers.delete(key);
    }
  }

  /** Close every breaker of one side. */
  reset(side: Side): void {
    for (const e of this.#breakers.values()) if (e.side === side) e.breaker.reset();
  }

  /** Sorted by side, then model, for stable `/status` output. */
  snapshot(): Array<{ side: Side; model: string } & BreakerSnapshot> {
    return [...this.#breakers.values()]
      .sort((a, b) => (a.side === b.side ? cmp(a.model, b.model) : cmp(a.side, b.side)))
      .map(({ side, model, breaker }) => ({ side, model, ...breaker.snapshot() }));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
