/**
 * `spec.cache` as the CRD writes it, and the compiled policy the request path
 * uses (durations in ms, quantities in bytes). Absent `spec.cache`: no cache.
 */
import { parseDuration } from '../config/duration.js';
import { parseQuantity } from '../config/quantity.js';

export type CacheBackend = 'memory' | 'redis';

/** `spec.cache` after validation: every defaulted field is present. */
export interface CacheSpec {
  ttl: string;
  maxEntries: number;
  maxBytes: number | string;
  maxEntryBytes: number | string;
  /** Requests sampled above this temperature (absent: 1, OpenAI's default) are not cached. */
  maxTemperature?: number;
  backend: CacheBackend;
  redis?: { url: string; timeout: string; keyPrefix: string; maxInFlight: number; passwordSecretRef?: { name: string; key: string } };
}

export interface RedisPolicy {
  /** `redis://host:6379/0` or `rediss://…` (TLS); never credentials (the CRD refuses them). */
  url: string;
  /** Per-command deadline: a slower Redis is a miss. */
  timeoutMs: number;
  keyPrefix: string;
  /** Commands outstanding at once; more are a miss (reads) or dropped (writes), never queued. */
  maxInFlight: number;
}

export interface CachePolicy {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
  maxTemperature?: number;
  backend: CacheBackend;
  redis?: RedisPolicy;
}

export function compileCache(spec: CacheSpec): CachePolicy {
  const policy: CachePolicy = {
    ttlMs: parseDuration(spec.ttl),
    maxEntries: spec.maxEntries,
    maxBytes: parseQuantity(spec.maxBytes),
    maxEntryBytes: parseQuantity(spec.maxEntryBytes),
    backend: spec.backend,
  };
  if (spec.maxTemperature !== undefined) policy.maxTemperature = spec.maxTemperature;
  if (spec.backend === 'redis') {
    if (spec.redis === undefined) throw new Error('spec.cache.redis: required when spec.cache.backend is redis');
    policy.redis = {
      url: spec.redis.url,
      timeoutMs: parseDuration(spec.redis.timeout),
      keyPrefix: spec.redis.keyPrefix,
      maxInFlight: spec.redis.maxInFlight,
    };
  }
  return policy;
}

/** Whether two policies need the same store (a reload that changes only ttl or maxTemperature keeps it). */
export function sameStore(a: CachePolicy, b: CachePolicy): boolean {
  if (a.backend !== b.backend) return false;
  if (a.backend === 'memory') return a.maxEntries === b.maxEntries && a.maxBytes === b.maxBytes;
  const ra = a.redis;
  const rb = b.redis;
  return ra !== undefined && rb !== undefined && ra.url === rb.url && ra.timeoutMs === rb.timeoutMs && ra.keyPrefix === rb.keyPrefix && ra.maxInFlight === rb.maxInFlight;
}
