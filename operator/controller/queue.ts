/**
 * The per-key serial work queue (client-go's workqueue, Pepr's per-object
 * queue): events add a key (`namespace/name`); one worker works a key at a
 * time; at most `concurrency` keys are worked at once.
 *
 * - Coalescing: a key added while it waits is not added twice; a key added
 *   while it is being worked is worked once more afterwards (the work may have
 *   read the state before the change), however often it was added meanwhile.
 * - Failures requeue the key after a capped exponential backoff (per key);
 *   a success resets the key's backoff and cancels a pending retry.
 * - `shutdown` stops taking keys, drops the waiting ones and resolves when
 *   the keys being worked are done.
 *
 * Time comes from a `Clock`, so the backoff is tested on a ManualClock.
 */
import type { Clock } from '../../sidecar/clock.js';
import { backoffDelay, type Backoff } from './backoff.js';

export interface WorkQueueOptions {
  worker: (key: string) => Promise<void>;
  concurrency: number;
  backoff: Backoff;
  clock: Clock;
  /** A worker failed; the key comes back after `retryInMs`. */
  onError?: (key: string, err: unknown, retryInMs: number) => void;
  /** Whether a failure should be retried (default: every failure). */
  retryable?: (err: unknown) => boolean;
}

export class WorkQueue {
  readonly #o: WorkQueueOptions;
  /** Waiting keys, in order. */
  readonly #waiting = new Set<string>();
  readonly #active = new Set<string>();
  /** Added while active: work again afterwards. */
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #retries = new Map<string, AbortController>();
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(o: WorkQueueOptions) {
    this.#o = o;
  }

  add(key: string): void {
    if (this.#closed) return;
    if (this.#active.has(key)) {
      this.#dirty.add(key);
      return;
    }
    this.#waiting.add(key);
    this.#pump();
  }

  /** Adds `key` after `ms` (an earlier pending add of the same key wins). */
  addAfter(key: string, ms: number): void {
    if (this.#closed) return;
    if (ms <= 0) return this.add(key);
    if (this.#retries.has(key)) return;
    const ctl = new AbortController();
    this.#retries.set(key, ctl);
    this.#o.clock.sleep(ms, ctl.signal).then(
      () => {
        this.#retries.delete(key);
        this.add(key);
      },
      () => undefined,
    );
  }

  /** Keys waiting (not counting the ones being worked or waiting for a retry). */
  get depth(): number {
    return this.#waiting.size;
  }

  get active(): number {
    return this.#active.size;
  }

  /** Failures in a row for `key` (0 after a success). */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Drops waiting keys and pending retries (e.g. on losing leadership); keys being worked finish. */
  clear(): void {
    this.#waiting.clear();
    this.#dirty.clear();
    for (const c of this.#retries.values()) c.abort();
    this.#retries.clear();
  }

  /** Resolves when nothing is waiting or being worked. */
  idle(): Promise<void> {
    if (this.#waiting.size === 0 && this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    this.clear();
    await this.idle();
  }

  #pump(): void {
    while (this.#active.size < this.#o.concurrency) {
      const key = [...this.#waiting].find((k) => !this.#active.has(k));
      if (key === undefined) break;
      this.#waiting.delete(key);
      void this.#work(key);
    }
    if (this.#waiting.size === 0 && this.#active.size === 0) for (const f of this.#idle.splice(0)) f();
  }

  async #work(key: string): Promise<void> {
    this.#active.add(key);
    try {
      await this.#o.worker(key);
      this.#failures.delete(key);
      this.#retries.get(key)?.abort();
      this.#retries.delete(key);
    } catch (err) {
      if (this.#o.retryable?.(err) ?? true) {
        const n = (this.#failures.get(key) ?? 0) + 1;
        this.#failures.set(key, n);
        const delay = backoffDelay(n, this.#o.backoff);
        this.#o.onError?.(key, err, delay);
        this.addAfter(key, delay);
      } else {
        this.#o.onError?.(key, err, -1);
      }
    } finally {
      this.#active.delete(key);
      if (this.#dirty.delete(key) && !this.#closed) this.#waiting.add(key);
      this.#pump();
    }
  }
}
