/**
 * The write path: everything that reaches the app goes out here — the
 * sidecar's own errors, committed JSON replies, streams relayed event for
 * event, and replies too large to buffer streamed through.
 *
 * Rules every writer keeps:
 * - every wait for the app (`drain`) also ends when the app goes away
 *   (`close`), with both listeners removed again, so a slow reader neither
 *   hangs a handler nor leaks listeners;
 * - the relay key is scrubbed from every byte the relay sends back: header
 *   values, bodies, stream events (`scrub.ts`);
 * - header values the sidecar writes are always valid (`header-value.ts`);
 * - a stream that breaks after bytes reached the app ends with an explicit
 *   SSE error event — never a clean-looking truncated 200 — and a stream that
 *   ends without its terminal event (`stream-events.ts`) counts as broken;
 * - a stream's pending event is bounded (`sse.ts`) and its bytes are taken
 *   from the request's share of the sidecar's memory budget.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServerResponse } from 'node:http';
import { errorBody, ERR, type ErrorDef } from '../errors.js';
import type { Committed, Reply } from './attempts.js';
import type { Ledger } from './budget.js';
import { appResponseHeaders } from './rewrite.js';
import { errorEvent, EventTooLarge, isCommentOnly, parseEvent } from './sse.js';
import { inspectEvent, type StreamEndpoint } from './stream-events.js';
import type { KeyScrubber } from './scrub.js';
import { headerValue } from './header-value.js';
import { usageFromReply, type Usage } from '../accounting/usage.js';
import type { ReplyTap } from './tap.js';

export interface Tags {
  side: string;
  model: string;
  overheadMs: number;
}

export function bellwetherHeaders(t: Tags, into: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  into['x-bellwether-side'] = t.side;
  into['x-bellwether-model'] = headerValue(t.model);
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

export type StreamFailure = 'cut' | 'idle_timeout' | 'total_timeout' | 'malformed' | 'event_too_large' | 'overloaded' | 'shutdown' | 'client_gone';

export type StreamEnd = { ok: true; usage?: Usage } | { ok: false; reason: StreamFailure; usage?: Usage };

/** Headers for the app: the upstream's (less hop-by-hop), scrubbed when they came from the relay, plus ours. */
function replyHeaders(c: Committed, t: Tags, scrub: KeyScrubber | undefined, keepEncoding = false): Record<string, string | string[]> {
  let h = appResponseHeaders(c.headers);
  if (keepEncoding && c.headers['content-encoding'] !== undefined) h['content-encoding'] = c.headers['content-encoding'];
  if (scrub) h = scrub.scrubHeaders(h) as Record<string, string | string[]>;
  return bellwetherHeaders(t, h);
}

/** Write a buffered reply (JSON, an app error, an upstream failure passed on). */
export function sendBuffered(res: ServerResponse, c: Committed, body: Buffer, t: Tags, scrub: KeyScrubber | undefined, tap?: ReplyTap): Usage | undefined {
  // The tap's `end` comes exactly once, whatever throws here (a tap frees its slot and memory there).
  let heard = false;
  try {
    let out = body;
    if (scrub) out = c.status >= 400 ? Buffer.from(scrub.scrubText(body.toString('utf8'))) : scrub.scrubBuffer(body);
    const headers = replyHeaders(c, t, scrub);
    headers['content-length'] = String(out.length);
    res.writeHead(c.status, headers);
    res.end(out);
    tap?.body?.(c.status, out);
    heard = true;
  } finally {
    tap?.end(heard && c.status < 300 && !res.destroyed);
  }
  return c.status >= 300 ? undefined : usageFromReply(body);
}

/** Wait until the app can take more, or has gone away. Leaves no listener behind. */
export function writable(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Stream a reply through unparsed: one too large to buffer (the last few KiB
 * are kept so `usage`, which ends the body, is still counted), or one in an
 * encoding the sidecar cannot read (official only; passed on encoded).
 */
export async function sendRaw(res: ServerResponse, c: Committed, reply: Extract<Reply, { kind: 'raw' }>, t: Tags, scrub: KeyScrubber | undefined, tap?: ReplyTap): Promise<StreamEnd> {
  tap?.end(false); // not kept or judged: too large, or in an encoding the sidecar cannot read

  res.writeHead(c.status, replyHeaders(c, t, scrub, reply.keepEncoding));
  let tail: Buffer = Buffer.alloc(0);
  const keep = (chunk: Buffer): void => {
    tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
  };
  const body = reply.body;
  let upstreamBroke = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    let complete = false;
    try {
      for (const p of reply.parts) {
        keep(p);
        yield p;
      }
      for (;;) {
        let n: Buffer | null;
        try {
          n = await body.next();
        } catch (err) {
          upstreamBroke = true;
          throw err;
        }
        if (n === null) break;
        keep(n);
        yield n;
      }
      complete = true;
    } finally {
      if (!complete) body.abort(new Error('the app went away or the write failed'));
    }
  }
  const source = Readable.from(chunks(), { objectMode: false });
  try {
    if (scrub && !reply.keepEncoding) await pipeline(source, scrub.transform(), res);
    else await pipeline(source, res);
  } catch {
    res.destroy();
    return { ok: false, reason: upstreamBroke ? 'cut' : 'client_gone' };
  }
  const usage = c.status < 300 && !reply.keepEncoding ? usageFromReply(tail) : undefined;
  return usage ? { ok: true, usage } : { ok: true };
}

const TAIL_BYTES = 8 * 1024;

export interface StreamOptions {
  endpoint: StreamEndpoint;
  /** Drop the usage-only chunk the sidecar asked for on the app's behalf. */
  stripUsage: boolean;
  scrub: KeyScrubber | undefined;
  ledger: Ledger;
  /** Maps a failure of the upstream body to the reason named in the metric and the error event. */
  errorReason: (err: unknown) => StreamFailure;
  tap?: ReplyTap | undefined;
}

/**
 * Relay an SSE reply event for event; the tap (if any) hears how it ended —
 * also when relaying throws, so a tap's resources (a shadow slot, a recording's
 * bytes) are always given back.
 */
export async function sendStream(
  res: ServerResponse,
  c: Committed,
  reply: Extract<Reply, { kind: 'sse' }>,
  t: Tags,
  opts: StreamOptions,
): Promise<StreamEnd> {
  let result: StreamEnd | undefined;
  try {
    result = await relayStream(res, c, reply, t, opts);
    return result;
  } finally {
    opts.tap?.end(result !== undefined && result.ok && c.status < 300);
  }
}

async function relayStream(
  res: ServerResponse,
  c: Committed,
  reply: Extract<Reply, { kind: 'sse' }>,
  t: Tags,
  opts: StreamOptions,
): Promise<StreamEnd> {
  // The headers go out with the first events in one write.
  res.writeHead(c.status, replyHeaders(c, t, opts.scrub));
  const state: FilterState = { usage: undefined, terminal: false, malformed: false };
  const { splitter, body } = reply;
  let events = reply.events;
  let held = reply.held;
  for (let ended = false; ; ) {
    const out = filterEvents(events, opts, state);
    if (out.length === 0 && !res.headersSent) res.flushHeaders();
    if (out.length > 0 && !res.write(out.length === 1 ? out[0]! : Buffer.concat(out))) await writable(res);
    if (res.destroyed) {
      body.abort(new Error('app went away'));
      return end({ ok: false, reason: 'client_gone' }, state);
    }
    if (state.malformed) {
      body.abort(new Error('malformed event'));
      return endWithError(res, 'malformed', state.usage);
    }
    if (ended) break;
    let n: Buffer | null;
    try {
      n = await body.next();
    } catch (err) {
      const reason = opts.errorReason(err);
      if (reason === 'client_gone') return end({ ok: false, reason }, state);
      return endWithError(res, reason, state.usage, reason === 'cut' ? 'the upstream connection broke mid-stream' : undefined);
    }
    if (n === null) {
      const tail = splitter.end(); // a final event without its blank line is still an event
      events = tail ? [tail] : [];
      ended = true;
      continue;
    }
    try {
      events = splitter.push(n);
    } catch (err) {
      if (!(err instanceof EventTooLarge)) throw err;
      body.abort(err);
      return endWithError(res, 'event_too_large', state.usage);
    }
    const pending = splitter.pendingBytes;
    if (pending > held) {
      if (!opts.ledger.take(pending - held)) {
        body.abort(new Error('memory budget exhausted'));
        return endWithError(res, 'overloaded', state.usage);
      }
    } else opts.ledger.give(held - pending);
    held = pending;
  }
  if (!state.terminal) return endWithError(res, 'cut', state.usage);
  res.end();
  return end({ ok: true }, state);
}

interface FilterState {
  usage: Usage | undefined;
  terminal: boolean;
  malformed: boolean;
}

function filterEvents(events: Buffer[], opts: StreamOptions, st: FilterState): Buffer[] {
  const out: Buffer[] = [];
  for (const raw of events) {
    const ev = parseEvent(raw);
    if (isCommentOnly(ev)) {
      const comment = opts.scrub ? opts.scrub.scrubBuffer(raw) : raw; // a comment can echo the key too
      opts.tap?.event?.(comment);
      out.push(comment);
      continue;
    }
    const info = inspectEvent(opts.endpoint, ev);
    if (info === 'malformed') {
      st.malformed = true;
      return out;
    }
    if (info.terminal) st.terminal = true;
    if (info.usage) st.usage = info.usage;
    const clean = !opts.scrub ? raw : info.error ? Buffer.from(opts.scrub.scrubText(raw.toString('utf8'))) : opts.scrub.scrubBuffer(raw);
    opts.tap?.event?.(clean);
    if (opts.stripUsage && info.usageOnly) continue;
    out.push(clean);
  }
  return out;
}

function end(e: StreamEnd, st: FilterState): StreamEnd {
  return st.usage ? { ...e, usage: st.usage } : e;
}

function endWithError(res: ServerResponse, reason: Exclude<StreamFailure, 'client_gone'>, usage: Usage | undefined, message = describe(reason)): StreamEnd {
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
    case 'event_too_large':
      return 'the upstream sent a stream event larger than the sidecar accepts';
    case 'overloaded':
      return 'the sidecar ran out of memory budget for in-flight requests';
    case 'shutdown':
      return 'the sidecar is shutting down';
    default:
      return 'the upstream ended the stream before its final event';
  }
}
