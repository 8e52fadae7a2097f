/**
 * The shadow window: pairs judged over the last `windowMs` (the rollback
 * window's length), by verdict, and the relay copies' time-to-first-byte
 * histogram with the rollback window's fixed bounds — so the operator merges
 * the fleet's windows by adding counts, exactly, as it does for rollback.
 *
 * Built from two `SlidingWindow`s recorded together (so their slices age out
 * together): `judged` counts every pair with "failure" = not equivalent, and
 * `copies` counts every pair with "failure" = the relay copy failed, and the
 * TTFB of the copies that succeeded. Then equivalent = pairs − judged.failures,
 * relay errors = copies.failures, different = the rest.
 */
import type { Clock } from '../clock.js';
import { SlidingWindow } from '../resilience/window.js';
import type { Verdict } from './judge.js';

export interface ShadowWindowSnapshot {
  windowMs: number;
  /** Every judged pair: equivalent + different + relayErrors. */
  pairs: number;
  equivalent: number;
  different: number;
  relayErrors: number;
  /** The fixed latency bucket bounds (ms), the same as the rollback window's. */
  boundsMs: readonly number[];
  /** CUMULATIVE TTFB counts of the relay copies that succeeded; `boundsMs.length + 1` long, the last is +Inf. */
  counts: number[];
}

export class ShadowWindow {
  readonly #judged: SlidingWindow;
  readonly #copies: SlidingWindow;

  constructor(readonly windowMs: number, clock: Clock) {
    this.#judged = new SlidingWindow(windowMs, clock);
    this.#copies = new SlidingWindow(windowMs, clock);
  }

  record(verdict: Verdict, ttfbMs?: number): void {
    this.#judged.record({ failed: verdict !== 'equivalent' });
    this.#copies.record(verdict === 'relay_error' || ttfbMs === undefined ? { failed: verdict === 'relay_error' } : { failed: false, ttfbMs });
  }

  snapshot(): ShadowWindowSnapshot {
    const j = this.#judged.snapshot();
    const c = this.#copies.snapshot();
    return {
      windowMs: this.windowMs,
      pairs: j.requests,
      equivalent: j.requests - j.failures,
      different: j.failures - c.failures,
      relayErrors: c.failures,
      boundsMs: c.boundsMs,
      counts: c.counts,
    };
  }
}

/** An empty snapshot with the standard bounds. */
export function emptyShadowWindow(windowMs: number, boundsMs: readonly number[]): ShadowWindowSnapshot {
  return { windowMs, pairs: 0, equivalent: 0, different: 0, relayErrors: 0, boundsMs, counts: new Array<number>(boundsMs.length + 1).fill(0) };
}

/** Add two windows (pods). Throws when their bucket bounds differ: they cannot be merged exactly. */
export function mergeShadowWindows(a: ShadowWindowSnapshot, b: ShadowWindowSnapshot): ShadowWindowSnapshot {
  const same =
    a.boundsMs.length === b.boundsMs.length &&
    a.boundsMs.every((x, i) => x === b.boundsMs[i]) &&
    a.counts.length === a.boundsMs.length + 1 &&
    b.counts.length === b.boundsMs.length + 1;
  if (!same) throw new Error('cannot merge shadow windows with different latency bucket bounds');
  return {
    windowMs: Math.max(a.windowMs, b.windowMs),
    pairs: a.pairs + b.pairs,
    equivalent: a.equivalent + b.equivalent,
    different: a.different + b.different,
    relayErrors: a.relayErrors + b.relayErrors,
    boundsMs: a.boundsMs,
    counts: a.counts.map((n, i) => n + (b.counts[i] ?? 0)),
  };
}
