/**
 * The JSON merge patch (RFC 7386) that turns `current` into `desired`: only
 * the fields that differ, `null` for fields `desired` no longer has, arrays
 * whole. Pure. The status writer sends it to the `status` subresource — an
 * empty patch means: nothing changed, do not write.
 */
import { isDeepStrictEqual } from 'node:util';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergePatchFor(current: unknown, desired: unknown): Record<string, Json> {
  const cur = isObject(current) ? current : {};
  const want = isObject(desired) ? desired : {};
  const patch: Record<string, Json> = {};
  for (const [k, v] of Object.entries(want)) {
    if (v === undefined || isDeepStrictEqual(cur[k], v)) continue;
    if (isObject(v) && isObject(cur[k])) {
      const sub = mergePatchFor(cur[k], v);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else {
      patch[k] = v;
    }
  }
  for (const k of Object.keys(cur)) if (!(k in want) || want[k] === undefined) patch[k] = null;
  return patch;
}

export function isEmptyPatch(p: Record<string, unknown>): boolean {
  return Object.keys(p).length === 0;
}
