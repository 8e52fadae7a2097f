/**
 * A bound on the bytes the sidecar holds in memory for all in-flight
 * requests together: app request bodies, upstream replies buffered until
 * they can be judged, and SSE events being assembled. Per-request caps
 * (`maxRequestBytes`, the 32 MiB reply cap, the 8 MiB event cap) bound one
 * request; this bounds their sum, so a burst of large requests makes the
 * sidecar answer 503 `sidecar_overloaded` instead of growing until the
 * kernel kills it (Envoy's overload manager does the same with its buffer
 * limits).
 *
 * Each request takes from the budget through its own `Ledger`, which gives
 * everything back once when the request ends.
 */
/** Default for --max-buffered-bytes. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

export class ByteBudget {
  #used = 0;
  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  /** Take `n` bytes if they fit under `ceiling` (the whole budget unless a background ledger asks for less). */
  take(n: number, ceiling = this.limit): boolean {
    if (n <= 0) return true;
    if (this.#used + n > Math.min(ceiling, this.limit)) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }

  /** A ledger for one request. */
  ledger(): Ledger {
    return new Ledger(this);
  }
}

/** Background work (shadow copies) may fill the budget only this far, so app requests always keep the rest. */
export const BACKGROUND_SHARE = 0.5;

export class Ledger {
  #held = 0;
  #released = false;
  /** `ceiling`: this ledger takes only while the sidecar's total stays at or below it. */
  constructor(
    private readonly budget: ByteBudget,
    private readonly ceiling = budget.limit,
  ) {}

  get held(): number {
    return this.#held;
  }

  /** Take `n` more bytes for this request; false when the sidecar as a whole is out of room, or the ledger was released. */
  take(n: number): boolean {
    if (this.#released || !this.budget.take(n, this.ceiling)) return false;
    this.#held += n;
    return true;
  }

  /** Give back `n` bytes this request no longer holds. */
  give(n: number): void {
    const m = Math.min(n, this.#held);
    this.#held -= m;
    this.budget.give(m);
  }

  /**
   * A new ledger on the same sidecar budget, for background work that outlives
   * this request (a shadow copy). It takes only while the sidecar's total stays
   * within BACKGROUND_SHARE of the budget: copies can never leave the app's own
   * requests with less than the rest, so shadowing cannot turn them into 503s.
   */
  sibling(): Ledger {
    return new Ledger(this.budget, this.budget.limit * BACKGROUND_SHARE);
  }

  /** Give everything back: the request is over, and nothing more is taken (a read still in flight finds no room). Idempotent. */
  release(): void {
    this.#released = true;
    this.budget.give(this.#held);
    this.#held = 0;
  }
}
