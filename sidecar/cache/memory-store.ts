/**
 * The default backend: an LRU per sidecar (lru-cache), bounded by entries
 * (`spec.cache.maxEntries`) and bytes (`spec.cache.maxBytes`, counted as key
 * plus encoded entry). Expiry is checked on read against the sidecar's clock,
 * so tests drive it by hand; an expired entry is dropped when read or when
 * the LRU evicts it.
 *
 * lru-cache reserves its index for `max` entries up front (about 36 bytes
 * each, used or not), which is why the CRD caps maxEntries at 1,000,000.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { CacheStore, StoreStats } from './store.js';

interface Held {
  value: Buffer;
  expiresAt: number;
}

export class MemoryStore implements CacheStore {
  readonly backend = 'memory' as const;
  readonly #lru: LRUCache<string, Held>;
  #writes = 0;

  constructor(
    opts: { maxEntries: number; maxBytes: number },
    private readonly clock: Clock,
  ) {
    this.#lru = new LRUCache<string, Held>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes,
      sizeCalculation: (held, key) => held.value.length + key.length,
    });
  }

  get(key: string): Promise<Buffer | undefined> {
    const held = this.#lru.get(key);
    if (held === undefined) return Promise.resolve(undefined);
    if (held.expiresAt <= this.clock.now()) {
      this.#lru.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(held.value);
  }

  set(key: string, value: Buffer, ttlMs: number): void {
    // lru-cache refuses (and drops) an item larger than maxSize by itself.
    this.#lru.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    this.#writes++;
  }

  stats(): StoreStats {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize, state: 'ready', writes: this.#writes, droppedWrites: 0 };
  }

  close(): Promise<void> {
    this.#lru.clear();
    return Promise.resolve();
  }
}
