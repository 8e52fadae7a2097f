/**
 * Writing to the app: the sidecar's own errors, committed JSON replies, and
 * streams relayed event for event. A stream that breaks after bytes reached
 * the app ends with an explicit SSE error event — never a clean-looking
 * truncated 200 — and a stream that ends without its terminal event
 * (`[DONE]`, `response.completed`) counts as broken too.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { errorBody, ERR, type ErrorDef } from '../errors.js';
import type { Committed, Reply } from './attempts.js';
import { appResponseHeaders, scrubKey } from './rewrite.js';
import { errorEvent, parseEvent } from './sse.js';
import { usageFromBody, usageFromReply, type Usage } from '../accounting/usage.js';

export interface Tags {
  side: string;
  model: string;
  overheadMs: number;
}

export function bellwetherHeaders(t: Tags, into: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  into['x-bellwether-side'] = t.side;
  into['x-bellwether-model'] = t.model;
  into['x-bellwether-overhead-ms'] = t.overheadMs.toFixed(3);
  return into;
}

/** An error the sidecar makes itself, in the OpenAI shape. */
export function sendError(res: ServerResponse, e: ErrorDef, message: string, t: Tags, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(e, message));
  const headers = bellwetherHeaders(t, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-bellwether-error': e.code });
  res.writeHead(e.status, Object.assign(headers, extra));
  res.end(body);
}

export type StreamFailure = 'cut' | 'idle_timeout' | 'total_timeout' | 'malformed' | 'client_gone' | 'shutdown';

export type StreamEnd = { ok: true; usage?: Usage } | { ok: false; reason: StreamFailure; usage?: Usage };

/** Write a buffered reply (JSON, an app error, an upstream failure passed on). */
export function sendBuffered(res: ServerResponse, c: Committed, body: Buffer, t: Tags, scrub: string | undefined): Usage | undefined {
  let out = body;
  if (c.status >= 400 && scrub) out = Buffer.from(scrubKey(body.toString('utf8'), scrub));
  const headers = bellwetherHeaders(t, appResponseHeaders(c.headers));
  headers['content-length'] = String(out.length);
  res.writeHead(c.status, headers);
  res.end(out);
  return c.status >= 300 ? undefined : usageFromReply(body);
}

/**
 * Stream a reply too large to buffer: what was read, then the rest as it
 * comes. The last few KiB are kept so `usage`, which ends the body, is still
 * counted.
 */
export async function sendRaw(res: ServerResponse, c: Committed, reply: Extract<Reply, { kind: 'raw' }>, t: Tags): Promise<StreamEnd> {
  res.writeHead(c.status, bellwetherHeaders(t, appResponseHeaders(c.headers)));
  let tail: Buffer = Buffer.alloc(0);
  const keep = (chunk: Buffer): void => {
    tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
  };
  for (const p of reply.parts) {
    res.write(p);
    keep(p);
  }
  try {
    for (let n = await reply.rest.next(); !n.done; n = await reply.rest.next()) {
      keep(n.value);
      if (!res.write(n.value)) await once(res, 'drain');
    }
  } catch {
    res.destroy();
    return { ok: false, reason: 'cut' };
  }
  res.end();
  const usage = c.status < 300 ? usageFromReply(tail) : undefined;
  return usage ? { ok: true, usage } : { ok: true };
}

const TAIL_BYTES = 8 * 1024;

/**
 * Relay an SSE reply. `stripUsage`: drop the usage-only chunk the sidecar asked
 * for on the app's behalf. `errorReason` maps a failure of the upstream body to
 * the reason named in the metric and the error event.
 */
export async function sendStream(
  res: ServerResponse,
  c: Committed,
  reply: Extract<Reply, { kind: 'sse' }>,
  t: Tags,
  opts: { stripUsage: boolean; errorReason: (err: unknown) => StreamFailure },
): Promise<StreamEnd> {
  // The headers go out with the first events in one write.
  res.writeHead(c.status, bellwetherHeaders(t, appResponseHeaders(c.headers)));
  const state: FilterState = { usage: undefined, terminal: false, malformed: false };
  let events = reply.events;
  for (;;) {
    const out = filterEvents(events, opts.stripUsage, state);
    if (out.length === 0 && !res.headersSent) res.flushHeaders();
    if (out.length > 0 && !res.write(out.length === 1 ? out[0]! : Buffer.concat(out))) {
      await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (res.destroyed) {
      reply.abort(new Error('app went away'));
      return { ok: false, reason: 'client_gone' };
    }
    if (state.malformed) {
      reply.abort(new Error('malformed event'));
      return endWithError(res, 'malformed', 'the upstream sent a malformed stream event', state.usage);
    }
    let n: IteratorResult<Buffer>;
    try {
      n = await reply.rest.next();
    } catch (err) {
      const reason = opts.errorReason(err);
      if (reason === 'client_gone') return { ok: false, reason };
      return endWithError(res, reason, describe(reason), state.usage);
    }
    if (n.done) break;
    events = reply.splitter.push(n.value);
  }
  if (!state.terminal) return endWithError(res, 'cut', 'the upstream ended the stream before its final event', state.usage);
  res.end();
  return state.usage ? { ok: true, usage: state.usage } : { ok: true };
}

interface FilterState {
  usage: Usage | undefined;
  terminal: boolean;
  malformed: boolean;
}

const TERMINAL_TYPES = new Set(['response.completed', 'response.incomplete', 'response.failed']);

function filterEvents(events: Buffer[], stripUsage: boolean, st: FilterState): Buffer[] {
  const out: Buffer[] = [];
  for (const raw of events) {
    const ev = parseEvent(raw);
    if (ev.data === undefined) {
      out.push(raw);
      continue;
    }
    if (ev.data === '[DONE]') {
      st.terminal = true;
      out.push(raw);
      continue;
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(ev.data) as Record<string, unknown>;
    } catch {
      st.malformed = true;
      return out;
    }
    const type = (json['type'] as string | undefined) ?? ev.event;
    if (type && TERMINAL_TYPES.has(type)) st.terminal = true;
    if (json['usage'] || type === 'response.completed') {
      const u = usageFromBody(json);
      if (u) st.usage = u;
      const choices = json['choices'];
      if (stripUsage && Array.isArray(choices) && choices.length === 0) continue;
    }
    out.push(raw);
  }
  return out;
}

function endWithError(res: ServerResponse, reason: Exclude<StreamFailure, 'client_gone'>, message: string, usage: Usage | undefined): StreamEnd {
  const e = reason === 'shutdown' ? ERR.SHUTTING_DOWN : ERR.STREAM_INTERRUPTED;
  if (!res.destroyed) res.end(errorEvent(errorBody(e, `${message}; the response is incomplete (${reason})`)));
  return usage ? { ok: false, reason, usage } : { ok: false, reason };
}

function describe(reason: StreamFailure): string {
  switch (reason) {
    case 'idle_timeout':
      return 'the upstream sent nothing for longer than spec.timeouts.idle';
    case 'total_timeout':
      return 'the request ran longer than spec.timeouts.total';
    case 'malformed':
      return 'the upstream sent a malformed stream event';
    case 'shutdown':
      return 'the sidecar is shutting down (the pod is terminating)';
    default:
      return 'the upstream connection broke mid-stream';
  }
}

