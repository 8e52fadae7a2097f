/**
 * The shared backend: one Redis for the fleet (ioredis; ADR 0010), so the
 * hit rate does not fall as pods are added. A Redis that is slow or down is a
 * miss within `timeout`, never an error or a stall:
 *
 * - no offline queue: while the client is not connected and ready, a read is
 *   an immediate miss and a write is dropped; it reconnects in the background
 *   (backoff up to 2 s) and never gives up;
 * - a per-command deadline (`timeout`, plus ioredis' own `commandTimeout` so
 *   the command leaves its queue too);
 * - at most `maxInFlight` commands outstanding: over it, reads miss and
 *   writes are dropped at once, so a stalled Redis cannot pile up memory;
 * - a connection that takes commands and sends nothing back for
 *   `max(1 s, 20 × timeout)` is dropped and reopened (ioredis' socketTimeout);
 * - commands lost with a connection are never re-sent.
 *
 * Entries are written with `SET key value PX ttl`; Redis's own `maxmemory`
 * and eviction policy bound its size (see the README).
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { CacheStore, BackendState, StoreStats } from './store.js';
import { StoreUnavailable } from './store.js';
import type { RedisPolicy } from './spec.js';

/**
 * ioredis, loaded the first time a route asks for the Redis backend: most
 * sidecars never do, and loading it costs an idle sidecar ~2 MiB of heap and
 * more of RSS. It is CommonJS, so a synchronous require keeps the store's
 * constructor synchronous.
 */
let ioredis: typeof import('ioredis') | undefined;
function loadIoredis(): typeof import('ioredis') {
  ioredis ??= createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  return ioredis;
}

export interface RedisStoreOptions extends RedisPolicy {
  password?: string;
  /** Called (throttled by the caller) with connection errors; never with a key or a password. */
  onError?: (message: string) => void;
}

export class RedisStore implements CacheStore {
  readonly backend = 'redis' as const;
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  #inflight = 0;
  #dropped = 0;
  #writes = 0;

  constructor(opts: RedisStoreOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#maxInFlight = opts.maxInFlight;
    this.#client = new (loadIoredis().Redis)(opts.url, {
      keyPrefix: opts.keyPrefix,
      ...(opts.password ? { password: opts.password } : {}),
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.timeoutMs,
      socketTimeout: Math.max(1000, 20 * opts.timeoutMs),
      connectTimeout: Math.max(1000, 20 * opts.timeoutMs),
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      reconnectOnError: () => false,
    });
    this.#client.on('error', (err: Error) => opts.onError?.(err.message));
  }

  get(key: string): Promise<Buffer | undefined> {
    if (this.#client.status !== 'ready') return Promise.reject(new StoreUnavailable(`redis ${this.#client.status}`));
    if (this.#inflight >= this.#maxInFlight) return Promise.reject(new StoreUnavailable('redis busy'));
    this.#inflight++;
    const command = this.#client.getBuffer(key).finally(() => this.#inflight--);
    return new Promise<Buffer | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoreUnavailable('redis timeout')), this.#timeoutMs);
      command.then(
        (v) => {
          clearTimeout(timer);
          resolve(v ?? undefined);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new StoreUnavailable(String(err)));
        },
      );
    });
  }

  set(key: string, value: Buffer, ttlMs: number): void {
    if (this.#client.status !== 'ready' || this.#inflight >= this.#maxInFlight) {
      this.#dropped++;
      return;
    }
    this.#inflight++;
    this.#client
      .set(key, value, 'PX', ttlMs)
      .then(() => this.#writes++, () => this.#dropped++)
      .finally(() => this.#inflight--);
  }

  stats(): StoreStats {
    return { entries: null, bytes: null, state: stateOf(this.#client.status), writes: this.#writes, droppedWrites: this.#dropped };
  }

  async close(): Promise<void> {
    this.#client.disconnect(false);
  }
}

function stateOf(status: string): BackendState {
  if (status === 'ready') return 'ready';
  // ioredis: wait/connecting/connect before the first ready; reconnecting/close/end after a loss.
  if (status === 'reconnecting' || status === 'end' || status === 'close') return 'down';
  return 'connecting';
}
