/**
 * The response cache of one sidecar: its policy, its store, and what it has
 * done (the /status `cache` key and the `bellwether_cache_*` metrics). It
 * lives across reloads: a new policy that needs another store (backend, Redis
 * address, LRU bounds) closes the old store and opens the new one; the
 * counters carry on.
 */
import type { Clock } from '../clock.js';
import type { Metrics } from '../admin/metrics.js';
import type { CachePolicy } from './spec.js';
import { sameStore } from './spec.js';
import type { CacheStore } from './store.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { AuthMissingStore } from './auth-missing-store.js';
import { decodeEntry, type Entry } from './entry.js';

export interface CacheDeps {
  clock: Clock;
  metrics: Metrics;
  /** Backend trouble (Redis unreachable …), for a throttled log line. */
  onBackendError: (message: string) => void;
  redisAuth?: RedisAuth;
}

/**
 * How to authenticate to Redis: with a password, without one (no password
 * file configured), or not at all yet — the route names a password file that
 * cannot be read, and the backend holds off (auth-missing-store.ts).
 */
export type RedisAuth = { password?: string } | 'missing';

function sameAuth(a: RedisAuth | undefined, b: RedisAuth | undefined): boolean {
  const norm = (x: RedisAuth | undefined): string => (x === 'missing' ? 'missing' : `p:${x?.password ?? ''}`);
  return norm(a) === norm(b);
}

export type Lookup = { kind: 'hit'; entry: Entry } | { kind: 'miss' } | { kind: 'error' };

export type LookupResult = 'hit' | 'miss' | 'bypass' | 'error';
const LOOKUP_RESULTS: readonly LookupResult[] = ['hit', 'miss', 'bypass', 'error'];

export class ResponseCache {
  #policy: CachePolicy;
  #store: CacheStore;
  #auth: RedisAuth | undefined;
  #closed = false;
  readonly counts = { hits: 0, misses: 0, bypasses: 0, errors: 0, savingsUSD: 0 };

  constructor(
    policy: CachePolicy,
    private readonly deps: CacheDeps,
  ) {
    this.#policy = policy;
    this.#auth = deps.redisAuth;
    this.#store = openStore(policy, this.#auth, deps);
    this.#startCounters();
  }

  get policy(): CachePolicy {
    return this.#policy;
  }

  get backend(): 'memory' | 'redis' {
    return this.#store.backend;
  }

  /** Apply a reloaded policy; the store is replaced only when it must be. */
  apply(policy: CachePolicy): void {
    const keep = sameStore(this.#policy, policy);
    this.#policy = policy;
    if (keep) return;
    this.#reopen();
  }

  /** The Redis password changed (its file appeared, changed or was first read): reconnect with it. */
  setAuth(auth: RedisAuth): void {
    if (sameAuth(this.#auth, auth)) return;
    this.#auth = auth;
    if (this.#store.backend === 'redis') this.#reopen();
  }

  #reopen(): void {
    if (this.#closed) return;
    this.#forgetSize();
    void this.#store.close();
    this.#store = openStore(this.#policy, this.#auth, this.deps);
    this.#startCounters();
    this.#publishSize();
  }

  /** Every result's series starts at 0, so a hit rate or an error rate exists before the first hit or error. */
  #startCounters(): void {
    for (const result of LOOKUP_RESULTS) this.deps.metrics.cacheLookups.inc({ result, backend: this.#store.backend }, 0);
  }

  async lookup(key: string, maxAgeMs: number | undefined): Promise<Lookup> {
    let raw: Buffer | undefined;
    try {
      raw = await this.#store.get(key);
    } catch {
      return { kind: 'error' };
    }
    const entry = raw === undefined ? undefined : decodeEntry(raw);
    if (entry === undefined) return { kind: 'miss' };
    const age = this.deps.clock.now() - entry.meta.storedAt;
    if (age >= this.#policy.ttlMs || (maxAgeMs !== undefined && age > maxAgeMs)) return { kind: 'miss' };
    return { kind: 'hit', entry };
  }

  /** Count one lookup's result (the metric and /status). */
  count(result: LookupResult): void {
    this.deps.metrics.cacheLookups.inc({ result, backend: this.#store.backend });
    if (result === 'hit') this.counts.hits++;
    else if (result === 'miss') this.counts.misses++;
    else if (result === 'bypass') this.counts.bypasses++;
    else this.counts.errors++;
  }

  /** A hit's savings: what the reply cost when it was stored, under the model label of whose answer it is. */
  saved(modelLabel: string, usd: number): void {
    this.deps.metrics.cacheSavings.inc({ model: modelLabel }, usd);
    this.counts.savingsUSD += usd;
  }

  /** Store an encoded entry: fire-and-forget; entries over maxEntryBytes are not kept. */
  put(key: string, encoded: Buffer): void {
    // A request recorded under a cache a reload has since removed: not kept, and no size series brought back.
    if (this.#closed || encoded.length > this.#policy.maxEntryBytes) return;
    this.#store.set(key, encoded, this.#policy.ttlMs);
    this.#publishSize();
  }

  status() {
    const s = this.#store.stats();
    return {
      backend: this.#store.backend,
      state: s.state,
      ttlMs: this.#policy.ttlMs,
      hits: this.counts.hits,
      misses: this.counts.misses,
      bypasses: this.counts.bypasses,
      errors: this.counts.errors,
      stores: s.writes,
      droppedWrites: s.droppedWrites,
      entries: s.entries,
      bytes: s.bytes,
      savingsUSD: Math.round(this.counts.savingsUSD * 1e6) / 1e6,
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#forgetSize();
    return this.#store.close();
  }

  /** A closed store's size series go with it: a removed cache, or a memory one Redis replaced, does not report its last size forever. */
  #forgetSize(): void {
    const labels = { backend: this.#store.backend };
    this.deps.metrics.cacheEntries.remove(labels);
    this.deps.metrics.cacheBytes.remove(labels);
  }

  #publishSize(): void {
    const s = this.#store.stats();
    if (s.entries !== null) this.deps.metrics.cacheEntries.set({ backend: this.#store.backend }, s.entries);
    if (s.bytes !== null) this.deps.metrics.cacheBytes.set({ backend: this.#store.backend }, s.bytes);
  }
}

/** The cache a route's policy asks for, given the one running (kept, reconfigured, closed or opened). */
export function reconcileCache(prev: ResponseCache | undefined, policy: CachePolicy | undefined, deps: CacheDeps): ResponseCache | undefined {
  if (policy === undefined) {
    void prev?.close();
    return undefined;
  }
  if (prev === undefined) return new ResponseCache(policy, deps);
  prev.apply(policy);
  return prev;
}

function openStore(policy: CachePolicy, auth: RedisAuth | undefined, deps: CacheDeps): CacheStore {
  if (policy.backend === 'redis' && policy.redis !== undefined) {
    if (auth === 'missing') return new AuthMissingStore();
    return new RedisStore({
      ...policy.redis,
      ...(auth?.password ? { password: auth.password } : {}),
      onError: deps.onBackendError,
    });
  }
  return new MemoryStore({ maxEntries: policy.maxEntries, maxBytes: policy.maxBytes }, deps.clock);
}
