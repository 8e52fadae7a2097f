/**
 * The reply tap that turns a committed reply into a cache entry. While the
 * reply goes out it only keeps references (the JSON body, each SSE event),
 * and drops them as soon as they pass `maxEntryBytes`; the entry is built
 * and stored after the reply has reached the app, and only when:
 *
 * - the reply is a 2xx and reached the app whole (the tap's `complete`:
 *   a stream with its terminal event, not cut or timed out);
 * - a JSON body is a JSON object;
 * - a stream holds no error event and, for the Responses API, did not end
 *   with `response.failed`.
 *
 * Comments (`: keep-alive`) are not kept: a replay sends the data events only.
 *
 * The events of a stream being recorded are held past their write to the
 * app, so their bytes are taken from the request's share of the sidecar's
 * memory budget (`hold`); when the budget is out of room the stream is simply
 * not recorded.
 */
import type { ReplyTap } from '../proxy/tap.js';
import type { Price } from '../config/route.js';
import { parseEvent, isCommentOnly } from '../proxy/sse.js';
import { inspectEvent, type StreamEndpoint } from '../proxy/stream-events.js';
import { looksLikeJsonObject } from '../proxy/json-scan.js';
import { usageFromReply, type Usage } from '../accounting/usage.js';
import { costUSD } from '../accounting/cost.js';
import { encodeEntry, type EntryMeta } from './entry.js';

export interface RecordTarget {
  meta: Omit<EntryMeta, 'v' | 'storedAt' | 'usage' | 'costUSD' | 'frames'>;
  endpoint: StreamEndpoint;
  price: Price | undefined;
  maxEntryBytes: number;
  now: () => number;
  put: (encoded: Buffer) => void;
  /** Take bytes from the request's memory budget; false when there is no room. */
  hold: (n: number) => boolean;
  /** Give them back. */
  free: (n: number) => void;
}

export function recordingTap(t: RecordTarget): ReplyTap {
  let json: Buffer | undefined;
  let frames: Buffer[] | undefined = t.meta.wire === 'sse' ? [] : undefined;
  let size = 0;
  return {
    body(status, raw) {
      if (status >= 200 && status < 300 && raw.length <= t.maxEntryBytes) json = raw;
    },
    event(raw) {
      if (frames === undefined) return;
      if (size + raw.length > t.maxEntryBytes || !t.hold(raw.length)) {
        frames = undefined;
        t.free(size);
        return;
      }
      size += raw.length;
      frames.push(raw);
    },
    end(complete) {
      if (frames !== undefined) t.free(size);
      if (!complete) return;
      const built = t.meta.wire === 'json' ? fromJson(json) : fromStream(frames, t.endpoint);
      if (built === undefined) return;
      const meta: EntryMeta = { v: 1, ...t.meta, storedAt: t.now() };
      if (built.usage) {
        meta.usage = built.usage;
        const cost = costUSD(t.price, built.usage);
        if (cost !== undefined) meta.costUSD = cost;
      }
      if (built.frames) meta.frames = built.frames.map((f) => f.length);
      t.put(encodeEntry(meta, built.frames ?? [built.body as Buffer]));
    },
  };
}

interface Built {
  body?: Buffer;
  frames?: Buffer[];
  usage?: Usage | undefined;
}

function fromJson(body: Buffer | undefined): Built | undefined {
  if (body === undefined || !looksLikeJsonObject(body)) return undefined;
  return { body, usage: usageFromReply(body) };
}

function fromStream(frames: Buffer[] | undefined, endpoint: StreamEndpoint): Built | undefined {
  if (frames === undefined) return undefined;
  const kept: Buffer[] = [];
  let usage: Usage | undefined;
  for (const raw of frames) {
    const ev = parseEvent(raw);
    if (isCommentOnly(ev)) continue;
    const info = inspectEvent(endpoint, ev);
    if (info === 'malformed' || info.error) return undefined;
    if (endpoint === 'responses' && ev.data?.includes('"response.failed"')) return undefined;
    if (info.usage) usage = info.usage;
    kept.push(raw);
  }
  return kept.length === 0 ? undefined : { frames: kept, usage };
}
