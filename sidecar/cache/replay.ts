/**
 * Writes a hit to the app: the stored JSON body, or the stored stream's
 * events in one write with the framing they arrived in (the usage-only chunk
 * dropped when the app did not ask for it, as on a miss).
 *
 * Headers: the stored content type, `x-bellwether-cache: hit`,
 * `x-bellwether-side: cache` (who answered, as in the metrics),
 * `x-bellwether-model` (whose answer it is), `x-bellwether-cache-origin`
 * (the side that made it), `age` (seconds since it was stored, as HTTP
 * caches say it) and `x-bellwether-overhead-ms`.
 */
import type { ServerResponse } from 'node:http';
import { bellwetherHeaders } from '../proxy/respond.js';
import { parseEvent } from '../proxy/sse.js';
import { inspectEvent, type StreamEndpoint } from '../proxy/stream-events.js';
import { framesOf, type Entry } from './entry.js';

export interface ReplayOptions {
  endpoint: StreamEndpoint;
  stripUsage: boolean;
  overheadMs: number;
  ageMs: number;
}

export function replay(res: ServerResponse, entry: Entry, o: ReplayOptions): void {
  const m = entry.meta;
  const headers = bellwetherHeaders({ side: 'cache', model: m.model, overheadMs: o.overheadMs }, {
    'content-type': m.contentType,
    'x-bellwether-cache': 'hit',
    'x-bellwether-cache-origin': m.side,
    age: String(Math.max(0, Math.floor(o.ageMs / 1000))),
  });
  if (m.wire === 'json') {
    headers['content-length'] = String(entry.payload.length);
    res.writeHead(m.status, headers);
    res.end(entry.payload);
    return;
  }
  headers['cache-control'] = 'no-cache';
  const frames = o.stripUsage ? framesOf(entry).filter((f) => !isUsageOnly(o.endpoint, f)) : [entry.payload];
  res.writeHead(m.status, headers);
  res.end(frames.length === 1 ? frames[0] : Buffer.concat(frames));
}

function isUsageOnly(endpoint: StreamEndpoint, raw: Buffer): boolean {
  const info = inspectEvent(endpoint, parseEvent(raw));
  return info !== 'malformed' && info.usageOnly;
}
