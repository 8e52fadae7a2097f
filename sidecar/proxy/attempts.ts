/**
 * The attempt loop: walk the plan's candidates, retrying each with backoff
 * and skipping open breakers, until one gives a reply worth committing to the
 * app. Nothing is written to the app here, so every failure in this loop can
 * still be retried or fallen back from: DESIGN.md step 4's "only while no
 * byte has reached the app" holds by construction.
 *
 * A reply is committed when it is
 *  - a success whose whole JSON body arrived (non-streamed), or whose first
 *    SSE event arrived and is a well-formed, non-error event (streamed);
 *  - an app error (a 4xx other than 429), returned as is and never retried;
 *  - a failure status that `retry.on` does not list, returned as is.
 * The relay answering 401/403 is not the app's error (the app's key never
 * reaches the relay): it is a relay failure and goes straight to official.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Candidate, Plan } from './plan.js';
import { callUpstream, readRest, type UpstreamPools } from './upstream.js';
import { upstreamBody, upstreamHeaders, upstreamPath } from './rewrite.js';
import { SseSplitter, isEventStream, parseEvent } from './sse.js';
import { looksLikeJsonObject } from './json-scan.js';
import { decideRetry, parseRetryAfterMs } from '../resilience/backoff.js';

/** Non-streamed JSON replies larger than this are streamed through without usage accounting. */
export const MAX_BUFFERED_REPLY = 32 * 1024 * 1024;

export interface AttemptInput {
  plan: Plan;
  appPath: string;
  appHeaders: IncomingHttpHeaders;
  /** The app's body as it arrived, and parsed. */
  raw: Buffer;
  body: Record<string, unknown>;
  stream: boolean;
  /** Ask the upstream for the usage chunk of a stream. */
  askUsage: boolean;
  signal: AbortSignal;
}

export type Reply =
  | { kind: 'json'; body: Buffer }
  | { kind: 'sse'; events: Buffer[]; splitter: SseSplitter; rest: AsyncIterator<Buffer>; abort: (e: Error) => void }
  | { kind: 'raw'; parts: Buffer[]; rest: AsyncIterator<Buffer> };

export interface Committed {
  kind: 'committed';
  candidate: Candidate;
  status: number;
  headers: IncomingHttpHeaders;
  reply: Reply;
  /** A reply the sidecar passes on as is without it being a success (app error or unlisted failure). */
  passedError: 'app_error' | 'unlisted_failure' | undefined;
  /** performance.now() of the first byte of the committed reply. */
  firstByteAt: number;
  /** Time spent waiting on upstreams and backoff, for x-bellwether-overhead-ms. */
  waitMs: number;
}

export interface Exhausted {
  kind: 'exhausted';
  /** Why the last candidate was left: decides 502, 503 or 504. */
  last: 'connect-error' | 'timeout' | 'circuit_open' | 'status' | 'key_missing';
  /** The last upstream failure reply, returned to the app as is (e.g. a 429 with its retry-after). */
  lastReply?: { candidate: Candidate; status: number; headers: IncomingHttpHeaders; body: Buffer };
  summary: string;
  waitMs: number;
  /** Upstream calls made for this request. */
  calls: number;
}

export type Outcome = Committed | Exhausted | { kind: 'aborted'; reason: unknown };

type Failure = { result: string; reason: string; detail?: string; retryable: boolean; retryAfterMs?: number; reply?: Exhausted['lastReply']; skipRelay?: boolean; last: Exhausted['last'] };

export async function runAttempts(rt: Runtime, pools: UpstreamPools, input: AttemptInput): Promise<Outcome> {
  const { route, models } = rt;
  const { metrics, random, log } = rt.deps;
  const notes: string[] = [];
  let waitMs = 0;
  let calls = 0;
  let lastFailure: Failure | undefined;
  let skipRelay = false;
  const candidates = input.plan.candidates;

  for (let i = 0; i < candidates.length; i++) {
    const cand = candidates[i]!;
    if (cand.side === 'relay' && skipRelay) continue;
    const label = models.label(cand.model);
    // Breakers are keyed by bounded names: an official model the route does not list shares `other`.
    const breaker = rt.breakers.get(cand.side, label);
    if (!breaker.tryAcquire()) {
      notes.push(`${cand.side} ${cand.model}: circuit open`);
      lastFailure = { result: 'circuit_open', reason: 'circuit_open', retryable: true, last: 'circuit_open' };
      noteFallback(rt, cand, next(candidates, i, skipRelay), 'circuit_open');
      continue;
    }
    const upstream = cand.side === 'relay' ? route.relay : route.official;
    const payload = upstreamBody(input.raw, input.body, cand.model, input.askUsage);
    let tries = 0;
    for (;;) {
      tries++;
      const headers = upstreamHeaders(input.appHeaders, cand.side, rt.keys, route.official.apiKeySecretRef !== undefined, {
        parsed: true,
        contentLength: typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
      });
      if (headers === 'relay_key_missing') {
        breaker.release();
        notes.push('relay: no relay API key loaded');
        lastFailure = { result: 'key_missing', reason: 'relay_key_missing', retryable: true, last: 'key_missing' };
        skipRelay = true;
        break;
      }
      const t0 = performance.now();
      calls++;
      const r = await callUpstream(pools, {
        origin: upstream.origin,
        path: upstreamPath(upstream, input.appPath),
        method: 'POST',
        headers,
        body: payload,
        signal: input.signal,
        firstByteMs: route.timeouts.firstByteMs,
        idleMs: route.timeouts.idleMs,
      });
      if (r.kind === 'aborted') {
        breaker.release();
        return { kind: 'aborted', reason: r.reason };
      }
      let failure: Failure;
      if (r.kind === 'failure') {
        waitMs += performance.now() - t0;
        const retryable = r.cls === 'timeout' ? route.retry.on.timeout : route.retry.on.connectError;
        failure = { result: r.cls.replace('-', '_'), reason: r.cls, retryable, last: r.cls };
        notes.push(`${cand.side} ${cand.model}: ${r.detail}`);
      } else {
        const done = await settle(r, cand, input, route.retry.on.statuses);
        waitMs += performance.now() - t0;
        if (done.kind === 'aborted') {
          breaker.release();
          return done;
        }
        if (done.kind === 'commit') {
          if (done.passedError === 'unlisted_failure') breaker.onFailure();
          else breaker.onSuccess();
          metrics.upstreamAttempts.inc({ side: cand.side, model: label, result: done.passedError ?? 'ok' });
          return {
            kind: 'committed',
            candidate: cand,
            status: r.status,
            headers: r.headers,
            reply: done.reply,
            passedError: done.passedError,
            firstByteAt: r.firstByteAt,
            waitMs,
          };
        }
        failure = done.failure;
        notes.push(`${cand.side} ${cand.model}: ${failure.detail ?? failure.result}`);
      }
      breaker.onFailure();
      metrics.upstreamAttempts.inc({ side: cand.side, model: label, result: failure.result });
      lastFailure = failure;
      if (!failure.retryable) return exhausted(failure, notes, waitMs, calls);
      if (failure.skipRelay) {
        skipRelay = true;
        break;
      }
      const decision = decideRetry(route.retry, tries - 1, failure.retryAfterMs, random);
      if (!decision.retry || !breaker.tryAcquire()) break;
      metrics.retries.inc({ side: cand.side, model: label, cause: decision.cause });
      log.debug({ side: cand.side, model: cand.model, attempt: tries, delayMs: decision.delayMs }, 'retrying');
      const s0 = performance.now();
      try {
        await sleep(decision.delayMs, undefined, { signal: input.signal });
      } catch {
        breaker.release();
        return { kind: 'aborted', reason: input.signal.reason };
      }
      waitMs += performance.now() - s0;
    }
    noteFallback(rt, cand, next(candidates, i, skipRelay), lastFailure?.reason ?? 'failure');
  }
  return exhausted(lastFailure, notes, waitMs, calls);
}

type Settled =
  | { kind: 'commit'; reply: Reply; passedError: Committed['passedError'] }
  | { kind: 'fail'; failure: Failure }
  | { kind: 'aborted'; reason: unknown };

/** Read as much of a reply as deciding needs: the whole body of JSON and errors, the first event of a stream. */
async function settle(
  r: Extract<Awaited<ReturnType<typeof callUpstream>>, { kind: 'response' }>,
  cand: Candidate,
  input: AttemptInput,
  retryStatuses: ReadonlySet<number>,
): Promise<Settled> {
  try {
    if (r.status >= 400) {
      const read = await readRest(r.first, r.rest, MAX_BUFFERED_REPLY);
      const body = 'buffer' in read ? read.buffer : Buffer.concat(read.overflow);
      const reply = { candidate: cand, status: r.status, headers: r.headers, body };
      if (cand.side === 'relay' && (r.status === 401 || r.status === 403)) {
        return { kind: 'fail', failure: { result: 'relay_auth', reason: 'relay_auth', retryable: true, skipRelay: true, reply, last: 'status' } };
      }
      const listed = retryStatuses.has(r.status);
      if (r.status !== 429 && r.status < 500) return { kind: 'commit', reply: { kind: 'json', body }, passedError: 'app_error' };
      if (!listed) return { kind: 'commit', reply: { kind: 'json', body }, passedError: 'unlisted_failure' };
      const retryAfterMs = parseRetryAfterMs(r.headers, Date.now());
      return { kind: 'fail', failure: { result: `http_${r.status}`, reason: `http_${r.status}`, retryable: true, reply, last: 'status', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
    }
    if (input.stream && isEventStream(r.headers['content-type'])) {
      const splitter = new SseSplitter();
      let events = r.first ? splitter.push(r.first) : [];
      while (events.length === 0) {
        const n = await r.rest.next();
        if (n.done) return { kind: 'fail', failure: cut('stream ended before its first event') };
        events = splitter.push(n.value);
      }
      const bad = firstEventProblem(events[0]!);
      if (bad) {
        r.abort(new Error(bad));
        return { kind: 'fail', failure: { result: 'malformed', reason: 'malformed', retryable: true, last: 'connect-error' } };
      }
      return { kind: 'commit', reply: { kind: 'sse', events, splitter, rest: r.rest, abort: r.abort }, passedError: undefined };
    }
    const read = await readRest(r.first, r.rest, MAX_BUFFERED_REPLY);
    if ('overflow' in read) return { kind: 'commit', reply: { kind: 'raw', parts: read.overflow, rest: r.rest }, passedError: undefined };
    if (!plausibleReply(read.buffer, r.headers)) {
      return { kind: 'fail', failure: { result: 'malformed', reason: 'malformed', retryable: true, last: 'connect-error' } };
    }
    return { kind: 'commit', reply: { kind: 'json', body: read.buffer }, passedError: undefined };
  } catch (err) {
    if (input.signal.aborted) return { kind: 'aborted', reason: input.signal.reason };
    const code = (err as { code?: string }).code;
    if (code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'fail', failure: { result: 'timeout', reason: 'timeout', retryable: true, last: 'timeout' } };
    return { kind: 'fail', failure: cut(err instanceof Error ? err.message : String(err)) };
  }
}

/** The reply broke before anything was committed; `detail` goes into the summary the app may see. */
function cut(detail: string): Failure {
  return { result: 'connect_error', reason: 'connect-error', detail: `reply cut (${detail})`, retryable: true, last: 'connect-error' };
}

/** A first SSE event that is not JSON, or is an upstream error, means the stream is no good yet. */
function firstEventProblem(raw: Buffer): string | undefined {
  const ev = parseEvent(raw);
  if (ev.data === undefined || ev.data === '[DONE]') return undefined;
  try {
    const json = JSON.parse(ev.data) as { error?: unknown; type?: string };
    if (json.error || ev.event === 'error' || json.type === 'error') return 'upstream sent an error event';
    return undefined;
  } catch {
    return 'malformed first event';
  }
}

/** A success that says it is JSON must look like a JSON object (a relay's HTML error page with a 200 does not). */
function plausibleReply(body: Buffer, headers: IncomingHttpHeaders): boolean {
  const ct = String(headers['content-type'] ?? '');
  return !ct.includes('json') || looksLikeJsonObject(body);
}

function next(candidates: Candidate[], i: number, skipRelay: boolean): Candidate | undefined {
  for (let j = i + 1; j < candidates.length; j++) {
    const c = candidates[j]!;
    if (c.side === 'relay' && skipRelay) continue;
    return c;
  }
  return undefined;
}

function noteFallback(rt: Runtime, from: Candidate, to: Candidate | undefined, reason: string): void {
  if (!to) return;
  const name = (c: Candidate): string => (c.side === 'official' ? 'official' : rt.models.label(c.model));
  rt.deps.metrics.fallbacks.inc({ from: name(from), to: name(to), reason: reason.replace('-', '_') });
  rt.deps.log.info({ from: `${from.side}/${from.model}`, to: `${to.side}/${to.model}`, reason }, 'falling back');
}

function exhausted(f: Failure | undefined, notes: string[], waitMs: number, calls: number): Exhausted {
  const out: Exhausted = {
    kind: 'exhausted',
    last: f?.last ?? 'connect-error',
    summary: notes.length ? notes.join('; ') : 'no upstream candidate',
    waitMs,
    calls,
  };
  if (f?.reply && f.result !== 'relay_auth') out.lastReply = f.reply;
  return out;
}
