/**
 * The shadow comparison's state in one sidecar: copies in flight (and the
 * switches that abort them at shutdown), the running totals, and the window
 * the operator merges. The request path asks it for a slot (`admit`) and
 * reports each outcome (`judged`, `skipped`); `/status` reads `document()`.
 *
 * A slot is held from the moment a request is picked for shadowing until its
 * pair is judged or dropped, so `maxConcurrent` bounds the copies' number
 * and their connections; their bytes (the app's request body and two capped
 * replies each) are held on the sidecar's memory budget by pair.ts. Over the cap a copy is skipped and counted, never
 * queued: a queue would only grow while the relay is slow.
 */
import type { Clock } from '../clock.js';
import type { Route } from '../config/route.js';
import type { ShadowMetrics, SkipReason } from './metrics.js';
import type { Judgement } from './judge.js';
import { ShadowWindow } from './window.js';
import { RequestSignal } from '../proxy/abort.js';

export interface Slot {
  /**
   * Aborts the copy (shutdown); the pair is then counted as skipped (`shutdown`).
   * A RequestSignal, not an AbortController: a controller and a listener on its
   * EventTarget cost several µs of CPU per copy, on the loop the app's requests use.
   */
  readonly signal: RequestSignal;
  /** Abort this slot's copy (the app's reply did not complete: nothing to compare it with). */
  abort(): void;
  /** Give the slot back; call exactly once. */
  release(): void;
}

export class ShadowBook {
  readonly totals = { pairs: 0, equivalent: 0, different: 0, relayErrors: 0, skipped: 0, costUSD: 0 };
  #window: ShadowWindow;
  #minSimilarity: number | undefined;
  readonly #live = new Set<RequestSignal>();
  #closed = false;

  constructor(
    route: Route,
    private readonly clock: Clock,
    private readonly metrics: ShadowMetrics,
  ) {
    this.#window = new ShadowWindow(route.rollback.windowMs, clock);
    this.#minSimilarity = route.shadow?.minSimilarity;
  }

  /** A new route: a window of another length, or pairs judged against another bar, start afresh. */
  apply(route: Route): void {
    const minSimilarity = route.shadow?.minSimilarity;
    if (route.rollback.windowMs !== this.#window.windowMs || (minSimilarity !== undefined && minSimilarity !== this.#minSimilarity)) {
      this.#window = new ShadowWindow(route.rollback.windowMs, this.clock);
    }
    this.#minSimilarity = minSimilarity ?? this.#minSimilarity;
  }

  /** Shutdown began: no more copies. */
  get closed(): boolean {
    return this.#closed;
  }

  get inFlight(): number {
    return this.#live.size;
  }

  /** A slot for one more copy, or why not. */
  admit(maxConcurrent: number): Slot | 'max_concurrent' | 'shutdown' {
    if (this.#closed) return 'shutdown';
    if (this.#live.size >= maxConcurrent) return 'max_concurrent';
    const ac = new RequestSignal();
    this.#live.add(ac);
    this.metrics.inflight.set(this.#live.size);
    let released = false;
    return {
      signal: ac,
      abort: () => ac.abort(new Error('the official reply did not complete')),
      release: () => {
        if (released) return;
        released = true;
        this.#live.delete(ac);
        this.metrics.inflight.set(this.#live.size);
      },
    };
  }

  judged(model: string, j: Judgement, ttfbMs: number | undefined): void {
    this.totals.pairs++;
    if (j.verdict === 'equivalent') this.totals.equivalent++;
    else if (j.verdict === 'different') this.totals.different++;
    else this.totals.relayErrors++;
    this.#window.record(j.verdict, ttfbMs);
    this.metrics.pairs.inc({ model, verdict: j.verdict });
    if (ttfbMs !== undefined && j.verdict !== 'relay_error') this.metrics.ttfb.observe({ model }, ttfbMs / 1000);
  }

  skipped(reason: SkipReason): void {
    this.totals.skipped++;
    this.metrics.skipped.inc({ reason });
  }

  spent(model: string, usd: number): void {
    this.totals.costUSD += usd;
    this.metrics.cost.inc({ model }, usd);
  }

  /** Shutdown: abort every copy in flight and admit no more. */
  abortAll(): void {
    this.#closed = true;
    for (const ac of this.#live) ac.abort(new Error('the sidecar is shutting down'));
  }

  document(route: Route) {
    const p = route.shadow;
    return {
      weight: p?.weight ?? 0,
      minSimilarity: p?.minSimilarity ?? null,
      maxConcurrent: p?.maxConcurrent ?? 0,
      inFlight: this.#live.size,
      pairs: this.totals.pairs,
      equivalent: this.totals.equivalent,
      different: this.totals.different,
      relayErrors: this.totals.relayErrors,
      skipped: this.totals.skipped,
      costUSD: Math.round(this.totals.costUSD * 1e6) / 1e6,
      window: this.#window.snapshot(),
    };
  }
}
