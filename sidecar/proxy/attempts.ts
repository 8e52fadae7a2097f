/**
 * The attempt loop: walk the plan's candidates, retrying and falling back as
 * the outcome classifier (`resilience/outcome.ts`) decides, until one gives a
 * reply worth committing to the app. Nothing is written to the app here, so
 * every failure in this loop can still be retried or fallen back from:
 * DESIGN.md step 4's "only while no byte has reached the app" holds by
 * construction.
 *
 * This file is the I/O shell around the classifier: it calls the upstream,
 * reads as much of the reply as deciding needs (`settle`: the whole body of
 * JSON and error replies, a stream up to its first data event), turns that
 * into an `Observation`, and carries out the `Decision` — the next step and
 * the breaker verdict. Breakers guard relay models only; the official API is
 * never skipped.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Runtime } from '../runtime.js';
import type { Endpoint } from '../admin/metrics.js';
import type { Candidate, Plan } from './plan.js';
import type { Ledger } from './budget.js';
import type { AttemptSlot } from './abort.js';
import { callUpstream, errorKind, type AttemptResult } from './upstream.js';
import type { UpstreamPools } from './pools.js';
import type { UpstreamBody } from './upstream-body.js';
import { upstreamBody, upstreamHeaders, upstreamPath } from './rewrite.js';
import { EventTooLarge, SseSplitter, isCommentOnly, isEventStream, parseEvent } from './sse.js';
import { inspectEvent, type StreamEndpoint } from './stream-events.js';
import { looksLikeJsonObject } from './json-scan.js';
import { decideRetry, parseRetryAfterMs } from '../resilience/backoff.js';
import { classify, type BodyShape, type Decision, type Observation, type Role } from '../resilience/outcome.js';
import type { Permit } from '../resilience/breaker.js';
import type { AbortLike } from '../clock.js';

/** Non-streamed replies larger than this are streamed through, unchecked, with usage read from their tail. */
export const MAX_BUFFERED_REPLY = 32 * 1024 * 1024;
/** Error bodies are read this far to find `error.code`; the app still gets all of them. */
const ERROR_CODE_SCAN = 64 * 1024;

export interface AttemptInput {
  plan: Plan;
  endpoint: Endpoint;
  appPath: string;
  appHeaders: IncomingHttpHeaders;
  /** The app's body as it arrived, and parsed. */
  raw: Buffer;
  body: Record<string, unknown>;
  stream: boolean;
  /** Ask the upstream for the usage chunk of a stream. */
  askUsage: boolean;
  signal: AbortLike;
  /** Where the attempt in flight is kept, so the server can abort it with the request. */
  slot: AttemptSlot;
  ledger: Ledger;
  /** Set when the loop reaches a relay candidate: with `plan.officialFirst`, the moment the request becomes relay-routed. */
  trace?: { relayReached: boolean };
}

export type Reply =
  | { kind: 'json'; body: Buffer }
  /** `held`: bytes of `events` and the splitter already taken from the request's ledger. */
  | { kind: 'sse'; events: Buffer[]; splitter: SseSplitter; body: UpstreamBody; held: number }
  /** Streamed through as it comes: too large to buffer, or (official only) in an encoding the sidecar cannot read. */
  | { kind: 'raw'; parts: Buffer[]; body: UpstreamBody; keepEncoding: boolean };

export interface Committed {
  kind: 'committed';
  candidate: Candidate;
  status: number;
  headers: IncomingHttpHeaders;
  reply: Reply;
  /** A reply the sidecar passes on as is without it being a success (the app's error, the official API's failure). */
  passedError: 'app_error' | 'upstream_error' | undefined;
  /** Whether the candidate served the request (the classifier's verdict): the rollback window's view. */
  served: boolean;
  /** performance.now() of the first byte of the committed reply. */
  firstByteAt: number;
  /** Time spent waiting on upstreams and backoff, for x-bellwether-overhead-ms. */
  waitMs: number;
  /** Upstream calls made for this request. */
  calls: number;
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
  /** Whether the official API was called (and failed too). */
  officialTried: boolean;
}

/** The sidecar could not carry the request out itself: nobody upstream is charged. */
export interface LocalFailure {
  kind: 'local';
  code: 'internal' | 'overloaded';
  detail: string;
}

export type Outcome = Committed | Exhausted | LocalFailure | { kind: 'aborted'; reason: unknown };

/** What one attempt came to, before the loop acts on it. */
type Settled =
  | { kind: 'observed'; observation: Observation; reply?: Reply; errorBody?: Buffer; detail: string; /** A stream's first data event. */ answeredAt?: number }
  | { kind: 'overloaded' }
  | { kind: 'aborted'; reason: unknown };

class Overloaded extends Error {}

export async function runAttempts(rt: Runtime, pools: UpstreamPools, input: AttemptInput): Promise<Outcome> {
  const { route, models } = rt;
  const { metrics, random, log, clock } = rt.deps;
  const notes: string[] = [];
  const candidates = input.plan.candidates;
  const relayInPlan = candidates.some((c) => c.side === 'relay');
  let waitMs = 0;
  let calls = 0;
  let last: Exhausted['last'] = 'connect-error';
  let lastReply: Exhausted['lastReply'];
  let skipRelay = false;
  let officialTried = false;
  /**
   * fallbackOnly: the official API's failure — its reply, or with none (a
   * connection error, a timeout) what kind it was — is the app's last word if
   * the relay cannot serve either; never the relay's own error body.
   */
  let officialReply: Exhausted['lastReply'];
  let officialLast: Exhausted['last'] = 'connect-error';

  for (let i = 0; i < candidates.length; i++) {
    const cand = candidates[i]!;
    if (cand.side === 'relay' && skipRelay) continue;
    const role: Role =
      cand.side === 'relay' ? 'relay' : input.plan.officialFirst && i === 0 ? 'official_first' : relayInPlan ? 'official_fallback' : 'official_primary';
    if (cand.side === 'relay' && input.trace) input.trace.relayReached = true;
    const label = models.label(cand.model);
    const breaker = cand.side === 'relay' ? rt.breakers.get('relay', label) : undefined;
    const upstream = cand.side === 'relay' ? route.relay : route.official;
    const payload = upstreamBody(input.raw, input.body, cand.model, input.askUsage);
    let leaveReason = 'failure';

    for (let tries = 1; ; tries++) {
      const permit: Permit | undefined = breaker?.tryAcquire();
      if (breaker && !permit) {
        notes.push(`${cand.side} ${cand.model}: circuit open`);
        last = 'circuit_open';
        leaveReason = 'circuit_open';
        break;
      }
      const headers = upstreamHeaders(input.appHeaders, cand.side, rt.keys, route.official.apiKeySecretRef !== undefined, {
        parsed: true,
        contentLength: typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length,
      });
      if (headers === 'relay_key_missing') {
        if (permit) breaker!.release(permit);
        notes.push('relay: no relay API key loaded');
        last = 'key_missing';
        leaveReason = 'relay_key_missing';
        skipRelay = true;
        break;
      }
      const t0 = performance.now();
      calls++;
      if (cand.side === 'official') officialTried = true;
      const r = await callUpstream(pools, {
        origin: upstream.origin,
        path: upstreamPath(upstream, input.appPath),
        method: 'POST',
        headers,
        body: payload,
        signal: input.signal,
        slot: input.slot,
        firstByteMs: route.timeouts.firstByteMs,
        idleMs: route.timeouts.idleMs,
      });
      const settled = await settle(r, role, input);
      if (r.kind === 'response') r.answered(); // decided: the firstByte timer of a stream stops here
      waitMs += performance.now() - t0;
      if (settled.kind !== 'observed') {
        if (permit) breaker!.release(permit);
        if (settled.kind === 'aborted') return { kind: 'aborted', reason: settled.reason };
        return { kind: 'local', code: 'overloaded', detail: 'the sidecar is holding too many bytes for in-flight requests' };
      }

      const decision: Decision = classify(role, settled.observation, route.retry.retryOn);
      if (permit) {
        if (decision.breaker === 'success') breaker!.onSuccess(permit);
        else if (decision.breaker === 'failure') breaker!.onFailure(permit);
        else breaker!.release(permit);
      }
      metrics.upstreamAttempts.inc({ side: cand.side, model: label, result: decision.result });

      switch (decision.action) {
        case 'commit':
        case 'pass_on': {
          if (r.kind !== 'response' || (settled.reply === undefined && settled.errorBody === undefined)) {
            // Nothing to pass on: never a clean-looking empty reply. (The classifier commits only replies.)
            notes.push(`${cand.side} ${cand.model}: ${settled.detail}`);
            return exhausted('connect-error', undefined, notes, waitMs, calls, officialTried);
          }
          const status = r.status;
          const reply: Reply = settled.reply ?? { kind: 'json', body: settled.errorBody! };
          const headersIn = r.headers;
          return {
            kind: 'committed',
            candidate: cand,
            status,
            headers: headersIn,
            reply,
            passedError: decision.action === 'commit' ? undefined : decision.result === 'app_error' ? 'app_error' : 'upstream_error',
            served: decision.served,
            firstByteAt: settled.answeredAt ?? r.firstByteAt,
            waitMs,
            calls,
          };
        }
        case 'local_error':
          log.error({ side: cand.side, model: cand.model, detail: settled.detail }, 'the sidecar could not send the request upstream');
          return { kind: 'local', code: 'internal', detail: settled.detail };
        default:
          break;
      }

      // A failure: note it, keep its reply (the app may get it as the last word), act.
      notes.push(`${cand.side} ${cand.model}: ${settled.detail}`);
      leaveReason = decision.result;
      last = settled.observation.kind === 'error' ? (decision.result === 'timeout' ? 'timeout' : 'connect-error') : 'status';
      if (settled.errorBody && r.kind === 'response') {
        // A relay that refused the account (401/402/403) has nothing to say to the app.
        lastReply = decision.action === 'skip_relay' ? undefined : { candidate: cand, status: r.status, headers: r.headers, body: settled.errorBody };
      } else {
        lastReply = undefined;
      }
      if (role === 'official_first') {
        officialReply = lastReply;
        officialLast = last;
      }
      if (decision.action === 'give_up') return exhausted(last, lastReply, notes, waitMs, calls, officialTried);
      if (decision.action === 'skip_relay') {
        skipRelay = true;
        break;
      }
      if (decision.action === 'next_model') break;

      // 'retry': the same model again, if the policy and the upstream's Retry-After allow.
      const retryAfterMs = r.kind === 'response' ? parseRetryAfterMs(r.headers, clock.now()) : undefined;
      const retry = decideRetry(route.retry, tries - 1, retryAfterMs, random);
      if (!retry.retry) break;
      metrics.retries.inc({ side: cand.side, model: label, cause: retry.cause });
      log.debug({ side: cand.side, model: cand.model, attempt: tries, delayMs: retry.delayMs }, 'retrying');
      const s0 = performance.now();
      try {
        await clock.sleep(retry.delayMs, input.signal);
      } catch {
        return { kind: 'aborted', reason: input.signal.reason };
      }
      waitMs += performance.now() - s0;
    }
    noteFallback(rt, cand, next(candidates, i, skipRelay), leaveReason);
  }
  if (input.plan.officialFirst) return exhausted(officialLast, officialReply, notes, waitMs, calls, officialTried);
  return exhausted(last, lastReply, notes, waitMs, calls, officialTried);
}

/** Read as much of a reply as deciding needs, and describe it. */
async function settle(r: AttemptResult, role: Role, input: AttemptInput): Promise<Settled> {
  if (r.kind === 'aborted') return { kind: 'aborted', reason: r.reason };
  if (r.kind === 'failure') return { kind: 'observed', observation: { kind: 'error', error: r.error }, detail: r.detail };
  const { status, headers, body } = r;
  const observed = (shape: BodyShape, reply: Reply | undefined, detail: string): Settled => ({
    kind: 'observed',
    observation: { kind: 'reply', status, body: shape },
    ...(reply ? { reply } : {}),
    detail,
  });
  try {
    if (status < 200 || status >= 300) {
      const read = await readAll(r.first, body, MAX_BUFFERED_REPLY, input.ledger);
      const buf = 'buffer' in read ? read.buffer : Buffer.concat(read.overflow);
      if ('overflow' in read) body.abort(new Error('error reply over the buffer cap'));
      const errorCode = errorCodeOf(buf);
      const observation: Observation = errorCode === undefined ? { kind: 'reply', status, body: 'error_body' } : { kind: 'reply', status, body: 'error_body', errorCode };
      return { kind: 'observed', observation, errorBody: buf, detail: `HTTP ${status}${errorCode ? ` ${errorCode}` : ''}` };
    }
    if (body.encoding === 'undecodable') {
      if (role === 'relay') body.abort(new Error('undecodable reply'));
      return observed('undecodable', { kind: 'raw', parts: r.first ? [r.first] : [], body, keepEncoding: true }, `content-encoding ${String(headers['content-encoding'])} cannot be read`);
    }
    const sse = isEventStream(headers['content-type']);
    if (input.stream && sse) return await settleStream(r, role, input);
    if (input.stream && role === 'relay') {
      body.abort(new Error('not an event stream'));
      return observed('wrong_type', undefined, `a ${String(headers['content-type'] ?? 'untyped')} reply to a stream request`);
    }
    const read = await readAll(r.first, body, MAX_BUFFERED_REPLY, input.ledger);
    if ('overflow' in read) return observed('large', { kind: 'raw', parts: read.overflow, body, keepEncoding: false }, 'large reply');
    const ct = String(headers['content-type'] ?? '').toLowerCase();
    const json = !ct.includes('html') && looksLikeJsonObject(read.buffer);
    return observed(json ? 'json' : 'not_json', { kind: 'json', body: read.buffer }, json ? 'ok' : `a ${ct || 'untyped'} reply that is not a JSON object`);
  } catch (err) {
    if (err instanceof Overloaded) {
      body.abort(err);
      return { kind: 'overloaded' };
    }
    if (input.signal.aborted) return { kind: 'aborted', reason: input.signal.reason };
    const kind = errorKind(err, true);
    return { kind: 'observed', observation: { kind: 'error', error: kind }, detail: `reply ${kind === 'cut' ? 'cut' : kind === 'local' ? 'unreadable' : 'stalled'} (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** A stream: read events until the first data event (pings and comments are not a reply yet). */
async function settleStream(r: Extract<AttemptResult, { kind: 'response' }>, role: Role, input: AttemptInput): Promise<Settled> {
  const { status, body } = r;
  const endpoint = streamEndpoint(input.endpoint);
  const splitter = new SseSplitter();
  const events: Buffer[] = [];
  let held = 0;
  const observed = (shape: BodyShape, detail: string, keep: boolean): Settled => ({
    kind: 'observed',
    observation: { kind: 'reply', status, body: shape },
    ...(keep ? { reply: { kind: 'sse' as const, events, splitter, body, held }, answeredAt: performance.now() } : {}),
    detail,
  });
  // The official API's own error or malformed first event is its answer: the app gets it as
  // it came (the stream writer ends a malformed stream with an explicit error event).
  const keepBad = role !== 'relay';
  // `first` is undefined only for a body that ended empty.
  let chunk: Buffer | null = r.first ?? null;
  for (;;) {
    let fresh: Buffer[];
    if (chunk === null) {
      const tail = splitter.end(); // a last event without its blank line
      if (!tail) return observed('sse_empty', 'the stream ended before its first data event', false);
      fresh = [tail];
    } else {
      try {
        fresh = splitter.push(chunk);
      } catch (err) {
        if (!(err instanceof EventTooLarge)) throw err;
        body.abort(err);
        return observed('sse_too_large', err.message, false);
      }
    }
    const now = splitter.pendingBytes + fresh.reduce((n, b) => n + b.length, 0);
    if (now > held) {
      if (!input.ledger.take(now - held)) throw new Overloaded();
      held = now;
    }
    for (let i = 0; i < fresh.length; i++) {
      const raw = fresh[i]!;
      const ev = parseEvent(raw);
      // Pings before the answer are not kept: they would only be held, and hold memory.
      if (isCommentOnly(ev)) continue;
      events.push(raw);
      // What came with the first data event goes out with it.
      for (let j = i + 1; j < fresh.length; j++) events.push(fresh[j]!);
      const info = inspectEvent(endpoint, ev);
      if (info === 'malformed' || info.error) {
        if (!keepBad) body.abort(new Error(info === 'malformed' ? 'malformed first event' : 'error event'));
        return info === 'malformed'
          ? observed('sse_malformed', 'the first stream event is not JSON', keepBad)
          : observed('sse_error', 'the upstream sent an error event first', keepBad);
      }
      return observed('sse_data', 'ok', true);
    }
    if (chunk === null) return observed('sse_empty', 'the stream ended before its first data event', false);
    chunk = await body.next();
  }
}

export function streamEndpoint(e: Endpoint): StreamEndpoint {
  return e === 'completions' || e === 'responses' ? e : 'chat_completions';
}

/** Read the rest of a body into memory, up to `cap` bytes, each byte taken from the request's ledger. */
export async function readAll(first: Buffer | undefined, body: UpstreamBody, cap: number, ledger: Ledger): Promise<{ buffer: Buffer } | { overflow: Buffer[] }> {
  if (first === undefined) return { buffer: Buffer.alloc(0) }; // the body ended empty
  const parts: Buffer[] = [];
  let size = 0;
  // A reply that has arrived whole (the common case: one packet) is read without a wait per chunk.
  for (let chunk: Buffer | null = first; chunk !== null; chunk = body.drained ? null : await body.next()) {
    if (!ledger.take(chunk.length)) throw new Overloaded();
    parts.push(chunk);
    size += chunk.length;
    if (size > cap) return { overflow: parts };
  }
  return { buffer: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) };
}

/** `error.code` of a small JSON error body, if it has one. */
function errorCodeOf(buf: Buffer): string | undefined {
  if (buf.length > ERROR_CODE_SCAN || !looksLikeJsonObject(buf)) return undefined;
  try {
    const code = (JSON.parse(buf.toString('utf8')) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && code.length <= 64 ? code : undefined;
  } catch {
    return undefined;
  }
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
  const labels = { from: name(from), to: name(to), reason: reason.replace('-', '_') };
  rt.deps.metrics.fallbacks.inc(labels);
  // Aggregated: during an outage every request falls back, and one line per request would flood the log.
  rt.logThrottle.log(`fallback:${labels.from}>${labels.to}:${labels.reason}`, 'info', { from: labels.from, to: labels.to, reason }, `falling back from ${labels.from} to ${labels.to} (${reason})`);
}

function exhausted(last: Exhausted['last'], lastReply: Exhausted['lastReply'], notes: string[], waitMs: number, calls: number, officialTried: boolean): Exhausted {
  const out: Exhausted = { kind: 'exhausted', last, summary: notes.length ? notes.join('; ') : 'no upstream candidate', waitMs, calls, officialTried };
  if (lastReply) out.lastReply = lastReply;
  return out;
}
