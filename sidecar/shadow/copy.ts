/**
 * One shadow copy: the app's request, as the canary would send it — the
 * relay's base URL and key, the chain model target.ts picked, the same body otherwise
 * (and `stream` as the app asked, so the relay's streaming path is what gets
 * measured) — read into an `Answer`. The I/O shell around answer.ts.
 *
 * It runs on the same connection pools as the app's traffic but under its
 * own switches: the route's timeouts (connect, firstByte, idle, total), and
 * the book's slot signal, which aborts it at shutdown. It is never retried
 * and never falls back, it takes no breaker permit and records nothing in the
 * rollback window: it is not served traffic. Its reply is read up to
 * `MAX_COPY_BYTES`; a longer one is dropped (`too_large`), not judged. Every
 * chunk it keeps is first taken from the sidecar's in-flight memory budget
 * (`hold`); without room the copy is dropped (`overloaded`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { UpstreamPools } from '../proxy/pools.js';
import { callUpstream } from '../proxy/upstream.js';
import { upstreamBody, upstreamHeaders, upstreamPath } from '../proxy/rewrite.js';
import { SseSplitter, isCommentOnly, isEventStream, parseEvent, EventTooLarge } from '../proxy/sse.js';
import { inspectEvent } from '../proxy/stream-events.js';
import { RequestSignal, TotalTimeout, type AttemptSlot } from '../proxy/abort.js';
import { usageFromReply, type Usage } from '../accounting/usage.js';
import { AnswerAssembler, answerFromJson, type Answer, type AnswerEndpoint } from './answer.js';
import { afterPendingIO } from './later.js';

/** The most of a relay reply one copy reads (JSON body, or stream bytes). */
export const MAX_COPY_BYTES = 4 * 1024 * 1024;

export interface CopyInput {
  endpoint: AnswerEndpoint;
  /** The relay model (target.ts). */
  model: string;
  appPath: string;
  appHeaders: IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown>;
  stream: boolean;
  /** The book's slot signal: aborts the copy at shutdown. */
  signal: RequestSignal;
  /** Take `n` bytes of the reply from the sidecar's memory budget for the copy's lifetime; false when there is no room. */
  hold(n: number): boolean;
}

export type CopyResult =
  | { kind: 'answer'; answer: Answer; ttfbMs: number; usage?: Usage }
  /** `usage`: what a stream that failed after its usage chunk was billed for (recorded as spend, as an answer's is). */
  | { kind: 'failed'; detail: string; usage?: Usage }
  | { kind: 'too_large' }
  | { kind: 'overloaded' }
  | { kind: 'aborted' };

class TooLarge extends Error {}
class Overloaded extends Error {}

export async function sendCopy(rt: Runtime, pools: UpstreamPools, input: CopyInput): Promise<CopyResult> {
  const route = rt.route;
  if (input.signal.aborted) return { kind: 'aborted' };
  const askUsage = input.stream && input.endpoint !== 'responses';
  const payload = upstreamBody(input.raw, input.body, input.model, askUsage);
  const headers = upstreamHeaders(input.appHeaders, 'relay', rt.keys, route.official.apiKeySecretRef !== undefined, {
    parsed: true,
    contentLength: typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
  });
  if (headers === 'relay_key_missing') return { kind: 'aborted' }; // the key went away since the copy was picked

  // The copy's own switch (total timeout, too large, overloaded, shutdown): no AbortController, as for requests.
  const own = new RequestSignal();
  const slot: AttemptSlot = {};
  const abort = (reason: unknown): void => {
    own.abort(reason);
    slot.current?.abort(reason);
  };
  const total = setTimeout(() => abort(new TotalTimeout(route.timeouts.totalMs)), route.timeouts.totalMs);
  const onShutdown = (): void => abort(input.signal.reason);
  input.signal.addEventListener('abort', onShutdown);
  const t0 = performance.now();
  try {
    const r = await callUpstream(pools, {
      origin: route.relay.origin,
      path: upstreamPath(route.relay, input.appPath),
      method: 'POST',
      headers,
      body: payload,
      signal: own,
      slot,
      firstByteMs: route.timeouts.firstByteMs,
      idleMs: route.timeouts.idleMs,
    });
    if (r.kind === 'aborted') return input.signal.aborted ? { kind: 'aborted' } : { kind: 'failed', detail: describe(r.reason) };
    if (r.kind === 'failure') return { kind: 'failed', detail: r.detail };
    if (r.status < 200 || r.status >= 300) {
      r.body.abort(new Error('shadow copy: error status'));
      return { kind: 'failed', detail: `HTTP ${r.status}` };
    }
    if (r.body.encoding === 'undecodable') {
      r.body.abort(new Error('shadow copy: undecodable'));
      return { kind: 'failed', detail: `content-encoding ${String(r.headers['content-encoding'])} cannot be read` };
    }
    const sse = isEventStream(r.headers['content-type']);
    if (input.stream !== sse) {
      r.body.abort(new Error('shadow copy: wrong type'));
      return { kind: 'failed', detail: `a ${String(r.headers['content-type'] ?? 'untyped')} reply to a ${input.stream ? 'stream' : 'JSON'} request` };
    }
    if (!sse) {
      const buf = await readCapped(r.first, () => r.body.next(), input.hold);
      await afterPendingIO(); // parsed after the app's ready I/O, not in the relay reply's callback
      const answer = answerFromJson(input.endpoint, buf);
      if (!answer) return { kind: 'failed', detail: 'the reply holds no answer' };
      const usage = usageFromReply(buf);
      return { kind: 'answer', answer, ttfbMs: r.firstByteAt - t0, ...(usage ? { usage } : {}) };
    }
    return await readStream(input.endpoint, r.first, () => r.body.next(), input.hold, t0, r.answered, (e) => r.body.abort(e));
  } catch (err) {
    if (err instanceof TooLarge) {
      abort(err);
      return { kind: 'too_large' };
    }
    if (err instanceof Overloaded) {
      abort(err);
      return { kind: 'overloaded' };
    }
    if (input.signal.aborted) return { kind: 'aborted' };
    return { kind: 'failed', detail: describe(own.aborted ? own.reason : err) };
  } finally {
    clearTimeout(total);
    input.signal.removeEventListener('abort', onShutdown);
  }
}

async function readCapped(first: Buffer | undefined, next: () => Promise<Buffer | null>, hold: (n: number) => boolean): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for (let chunk: Buffer | null = first ?? null; chunk !== null; chunk = await next()) {
    size += chunk.length;
    if (size > MAX_COPY_BYTES) throw new TooLarge();
    if (!hold(chunk.length)) throw new Overloaded();
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

async function readStream(
  endpoint: AnswerEndpoint,
  first: Buffer | undefined,
  next: () => Promise<Buffer | null>,
  hold: (n: number) => boolean,
  t0: number,
  answered: () => void,
  abortBody: (e: Error) => void,
): Promise<CopyResult> {
  const splitter = new SseSplitter({ maxEventBytes: MAX_COPY_BYTES });
  const assembler = new AnswerAssembler(endpoint);
  let ttfbMs: number | undefined;
  let terminal = false;
  let usage: Usage | undefined;
  let size = 0;
  const take = (events: Buffer[]): string | undefined => {
    for (const raw of events) {
      const ev = parseEvent(raw);
      if (isCommentOnly(ev)) continue;
      const info = inspectEvent(endpoint, ev);
      if (info === 'malformed') return 'a malformed stream event';
      if (info.error) return 'an error event';
      if (ttfbMs === undefined) {
        ttfbMs = performance.now() - t0;
        answered(); // the first data event: the firstByte timer stops here, as for the app's streams
      }
      if (info.usage) usage = info.usage;
      assembler.push(raw);
      if (info.terminal) terminal = true;
    }
    return undefined;
  };
  for (let chunk: Buffer | null = first ?? null; ; chunk = await next()) {
    if (chunk !== null) {
      size += chunk.length;
      if (size > MAX_COPY_BYTES) throw new TooLarge();
      if (!hold(chunk.length)) throw new Overloaded(); // the assembled answer keeps up to these bytes
    }
    let events: Buffer[];
    try {
      events = chunk === null ? [splitter.end()].filter((e): e is Buffer => e !== undefined) : splitter.push(chunk);
    } catch (err) {
      if (err instanceof EventTooLarge) throw new TooLarge();
      throw err;
    }
    const bad = take(events);
    if (bad) {
      abortBody(new Error(`shadow copy: ${bad}`));
      return { kind: 'failed', detail: bad, ...(usage ? { usage } : {}) };
    }
    if (chunk === null) break;
  }
  const answer = assembler.answer();
  if (!terminal) return { kind: 'failed', detail: 'the stream ended before its final event', ...(usage ? { usage } : {}) };
  if (!answer || ttfbMs === undefined) return { kind: 'failed', detail: 'the stream holds no answer', ...(usage ? { usage } : {}) };
  return { kind: 'answer', answer, ttfbMs, ...(usage ? { usage } : {}) };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
