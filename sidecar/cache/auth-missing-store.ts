/**
 * The Redis backend while the password the route names cannot be read: the
 * injector mounts spec.cache.redis.passwordSecretRef as an optional volume,
 * so a Secret that does not exist (yet) leaves no file. Connecting without
 * the password would only collect NOAUTH errors, and failing the sidecar
 * would take the whole workload down for a cache; so the cache holds off:
 * every read misses, every write is dropped, `/status` says `auth_missing`,
 * and the store is replaced by a real one as soon as the file appears.
 */
import type { CacheStore, StoreStats } from './store.js';
import { StoreUnavailable } from './store.js';

export class AuthMissingStore implements CacheStore {
  readonly backend = 'redis' as const;
  #dropped = 0;

  get(): Promise<Buffer | undefined> {
    return Promise.reject(new StoreUnavailable('redis password file missing'));
  }

  set(): void {
    this.#dropped++;
  }

  stats(): StoreStats {
    return { entries: null, bytes: null, state: 'auth_missing', writes: 0, droppedWrites: this.#dropped };
  }

  async close(): Promise<void> {}
}
