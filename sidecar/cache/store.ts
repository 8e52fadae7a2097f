/**
 * Where entries live: one small interface, two backends (memory-store.ts, a
 * per-sidecar LRU; redis-store.ts, one Redis shared by the fleet).
 *
 * A store never stalls or fails the request path: `get` resolves within the
 * backend's own deadline or rejects (the caller counts an error and treats it
 * as a miss); `set` is fire-and-forget and may drop the write.
 */
/** `auth_missing`: Redis, with the route's password file unreadable (auth-missing-store.ts). */
export type BackendState = 'ready' | 'connecting' | 'down' | 'auth_missing';

export interface StoreStats {
  /** Entries and bytes held; null where the backend does not count them (Redis). */
  entries: number | null;
  bytes: number | null;
  state: BackendState;
  /** Entries written (for Redis: acknowledged by Redis). */
  writes: number;
  /** Writes dropped: over the in-flight bound, or while the backend was not ready. */
  droppedWrites: number;
}

export interface CacheStore {
  readonly backend: 'memory' | 'redis';
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlMs: number): void;
  stats(): StoreStats;
  close(): Promise<void>;
}

/** A read the backend could not answer in time (or at all): the caller's miss. */
export class StoreUnavailable extends Error {}
