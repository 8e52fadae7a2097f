/**
 * The canary pick: which side serves a request, given the relay weight in
 * percent.
 *
 * Without a sticky key every request is an independent weighted coin:
 * relay when `random() * 100 < weight`.
 *
 * With a sticky key the key is hashed (FNV-1a, 32-bit, over the UTF-8 of
 * `salt + '\0' + key`) into one of 10,000 buckets, and the relay takes the
 * buckets below `weight * 100` (weight resolution 0.01%). The pick is a pure
 * function of (key, salt, weight), so a user stays on one side across
 * requests and pods, and it is monotone in the weight: raising the weight
 * only moves keys from official to relay, never back (as in Flagger's
 * progressive steps); lowering it only moves them back. The salt (e.g. the
 * route's namespace/name) keeps two routes from choosing the same users.
 */
import type { Random } from '../clock.js';
import type { Side, StickyBy } from '../config/route.js';

export const STICKY_BUCKETS = 10_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32-bit, over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(s)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** The sticky bucket, 0..9999, of a key under a salt. */
export function stickyBucket(key: string, salt: string): number {
  return fnv1a32(`${salt}\0${key}`) % STICKY_BUCKETS;
}

export function pickSide(weight: number, stickyKey: string | undefined, salt: string, random: Random): Side {
  if (stickyKey === undefined) return random() * 100 < weight ? 'relay' : 'official';
  return stickyBucket(stickyKey, salt) < weight * (STICKY_BUCKETS / 100) ? 'relay' : 'official';
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The sticky key of a request: a header (first value if repeated) or a
 * string/number/boolean at a path in the JSON body. Undefined when not
 * configured, missing, empty or not a scalar: such requests get the
 * non-sticky pick rather than all landing in the one bucket of "".
 */
export function stickyKey(
  sticky: StickyBy | undefined,
  headers: Headers,
  body: Record<string, unknown> | undefined,
): string | undefined {
  if (sticky === undefined) return undefined;
  if (sticky.source === 'header') {
    const raw = headers[sticky.name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    return value ? value : undefined;
  }
  let v: unknown = body;
  for (const key of sticky.path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'string') return v ? v : undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}
