/**
 * Whether a request may use the cache, and how. Pure.
 *
 * - `Cache-Control` from the app: `no-store` → neither read nor store;
 *   `no-cache` (or `max-age=0`) → do not read, but the fresh reply may be
 *   stored; `max-age=N` → only entries stored at most N seconds ago are read.
 * - Requests that create or use provider-side state (ADR 0006: stored
 *   responses, `previous_response_id`, files …) are never cached: a replayed
 *   answer would name a response id the provider never made for this call.
 * - With `spec.cache.maxTemperature`, sampled requests above it are not
 *   cached; a request without `temperature` counts as 1, OpenAI's default.
 *   Embeddings do not sample and are always cacheable.
 */
import type { CachePolicy } from './spec.js';

export interface Directive {
  read: boolean;
  write: boolean;
  /** Only entries younger than this are read (from `max-age`). */
  maxAgeMs?: number;
}

export type BypassReason = 'no_store' | 'no_cache' | 'stateful' | 'temperature';

export function cacheDirective(header: string | string[] | undefined): Directive {
  const text = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  if (text === '') return { read: true, write: true };
  let read = true;
  let write = true;
  let maxAgeMs: number | undefined;
  for (const part of text.split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    if (name === 'no-store') write = read = false;
    else if (name === 'no-cache') read = false;
    else if (name === 'max-age' && value !== undefined && /^\d+$/.test(value.trim())) {
      const ms = Number(value.trim()) * 1000;
      if (ms === 0) read = false;
      else maxAgeMs = Math.min(maxAgeMs ?? Infinity, ms);
    }
  }
  if (!write) return { read: false, write: false };
  return maxAgeMs === undefined ? { read, write } : { read, write, maxAgeMs };
}

/** Why a request is not cached at all, or undefined when it may be. */
export function notCacheable(endpoint: string, body: Record<string, unknown>, policy: CachePolicy, pinned: string | undefined): BypassReason | undefined {
  if (pinned !== undefined) return 'stateful';
  if (policy.maxTemperature !== undefined && endpoint !== 'embeddings') {
    const t = body['temperature'];
    const temperature = typeof t === 'number' ? t : 1;
    if (temperature > policy.maxTemperature) return 'temperature';
  }
  return undefined;
}
