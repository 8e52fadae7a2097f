/**
 * A stored reply, as bytes both backends keep: a 4-byte big-endian length,
 * the metadata as JSON, then the payload — the JSON body, or the stream's
 * events back to back (each whole, with its blank line; `frames` holds their
 * lengths). Pure.
 *
 * The metadata keeps what a hit needs besides the bytes: whose answer it is
 * (side and model), when it was stored (for `max-age` and the `age` header),
 * and its usage and cost at the time (a hit's savings).
 */
import type { Side } from '../config/route.js';
import type { Usage } from '../accounting/usage.js';
import type { Wire } from './key.js';

export interface EntryMeta {
  v: 1;
  wire: Wire;
  status: number;
  contentType: string;
  side: Side;
  model: string;
  /** Epoch ms. */
  storedAt: number;
  usage?: Usage;
  /** What the reply cost at the catalog price of `model` when it was stored. */
  costUSD?: number;
  /** Byte length of each SSE event in the payload. */
  frames?: number[];
}

export interface Entry {
  meta: EntryMeta;
  payload: Buffer;
}

export function encodeEntry(meta: EntryMeta, parts: readonly Buffer[]): Buffer {
  const head = Buffer.from(JSON.stringify(meta));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, ...parts]);
}

/** The entry in `raw`, or undefined when it is not one this version wrote (then it is a miss). */
export function decodeEntry(raw: Buffer): Entry | undefined {
  if (raw.length < 4) return undefined;
  const n = raw.readUInt32BE(0);
  if (4 + n > raw.length) return undefined;
  let meta: EntryMeta;
  try {
    meta = JSON.parse(raw.toString('utf8', 4, 4 + n)) as EntryMeta;
  } catch {
    return undefined;
  }
  if (meta?.v !== 1 || (meta.wire !== 'json' && meta.wire !== 'sse') || typeof meta.storedAt !== 'number') return undefined;
  const payload = raw.subarray(4 + n);
  if (meta.wire === 'sse' && (!Array.isArray(meta.frames) || meta.frames.reduce((a, b) => a + b, 0) !== payload.length)) return undefined;
  return { meta, payload };
}

/** The stored events of an SSE entry, in order. */
export function framesOf(e: Entry): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const len of e.meta.frames ?? []) {
    out.push(e.payload.subarray(at, at + len));
    at += len;
  }
  return out;
}
