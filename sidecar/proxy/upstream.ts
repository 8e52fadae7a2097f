/**
 * One call to one upstream, over a keep-alive undici Pool per origin.
 *
 * `callUpstream` resolves once the response headers AND the first body bytes
 * have arrived (or the body ended), so `firstByte` covers an upstream that
 * sends 200 headers and then stalls: such an attempt is still a failure the
 * caller can retry or fall back from, because nothing has reached the app.
 *
 * Every timeout is a plain timer (undici's own fire up to a second late):
 * `connect` in the connector, `firstByte` here on a per-attempt
 * AbortController, `idle` in `UpstreamBody`. Failures come back as an
 * `ErrorKind` for the outcome classifier; an error that is the sidecar's own
 * (undici refusing a request the sidecar built) is `local`, never charged to
 * the upstream.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ErrorKind } from '../resilience/outcome.js';
import { IdleTimeout, UpstreamBody } from './upstream-body.js';
import { isEventStream } from './sse.js';
import { AttemptSignal, type AttemptSlot } from './attempt-signal.js';
import type { UpstreamPools } from './pools.js';

export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: IncomingHttpHeaders;
      body: UpstreamBody;
      /** The first body chunk; undefined for an empty body. */
      first: Buffer | undefined;
      /** ms timestamp (performance.now) of the first body byte or the end of an empty body. */
      firstByteAt: number;
      /**
       * For an event stream the firstByte timer keeps running past the first
       * bytes (a `: keep-alive` comment is not an answer) until the caller
       * calls this at the first data event; for anything else it has stopped.
       */
      answered: () => void;
    }
  | { kind: 'failure'; error: ErrorKind; detail: string }
  | { kind: 'aborted'; reason: unknown };

export interface AttemptRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** Aborts when the app goes away or the total timeout fires. */
  signal: AbortSignal;
  /** The request's slot for its attempt in flight: the server aborts it with the request. */
  slot: AttemptSlot;
  firstByteMs: number;
  idleMs: number;
}

export class FirstByteTimeout extends Error {
  readonly code = 'BW_FIRST_BYTE_TIMEOUT';
  constructor(ms: number) {
    super(`no response byte within ${ms} ms (spec.timeouts.firstByte)`);
  }
}

export async function callUpstream(pools: UpstreamPools, req: AttemptRequest): Promise<AttemptResult> {
  if (req.signal.aborted) return { kind: 'aborted', reason: req.signal.reason };
  // A switch per attempt, so a firstByte timeout ends this attempt only; the server aborts it
  // with the request (app gone, total timeout, shutdown) through the request's slot.
  const ac = new AttemptSignal();
  req.slot.current = ac;
  const unlink = (): void => {
    if (req.slot.current === ac) req.slot.current = undefined;
  };
  const timer = setTimeout(() => ac.abort(new FirstByteTimeout(req.firstByteMs)), req.firstByteMs);
  let headersIn = false;
  try {
    const res = await pools.dispatcher(req.origin).request({
      path: req.path,
      method: req.method as 'POST',
      headers: req.headers,
      body: req.body ?? null,
      signal: ac as unknown as AbortSignal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    headersIn = true;
    const body = new UpstreamBody(res.body as unknown as Readable, res.headers['content-encoding'], req.idleMs, unlink);
    const first = await body.next();
    const stream = res.statusCode < 300 && isEventStream(res.headers['content-type']);
    if (!stream) clearTimeout(timer);
    return {
      kind: 'response',
      status: res.statusCode,
      headers: res.headers as IncomingHttpHeaders,
      body,
      first: first ?? undefined,
      firstByteAt: performance.now(),
      answered: stream ? () => clearTimeout(timer) : noop,
    };
  } catch (err) {
    clearTimeout(timer);
    unlink();
    if (req.signal.aborted) return { kind: 'aborted', reason: req.signal.reason };
    const reason = ac.aborted ? ac.reason : err;
    return { kind: 'failure', error: errorKind(reason, headersIn), detail: describeError(reason) };
  }
}

/**
 * Errors that are the sidecar's own, identified positively: undici or Node
 * refusing a request the sidecar built (an argument, a header, a body length).
 * Everything else an attempt can raise — system and socket errors, TLS, a
 * proxy refusing the tunnel, a reply undici cannot parse — is the upstream's.
 */
const LOCAL = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/**
 * What kind of failure an error is. `afterHeaders`: the reply had started,
 * so an upstream error means the reply was cut. Only errors recognisably the
 * sidecar's own are `local` (a bug: a TypeError, RangeError; an argument undici
 * refuses): a `local` error charges nobody and skips the fallback, so guessing
 * it wrong would hide a failing relay from the rollback.
 */
export function errorKind(err: unknown, afterHeaders: boolean): ErrorKind {
  if (err instanceof FirstByteTimeout) return 'first_byte_timeout';
  if (err instanceof IdleTimeout) return 'idle_timeout';
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect_timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'first_byte_timeout';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'idle_timeout';
  if (typeof code === 'string' ? LOCAL.has(code) : err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return 'local';
  return afterHeaders ? 'cut' : 'connect';
}

function noop(): void {}

function describeError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !code.startsWith('BW_') ? `${code}: ${message}` : message;
}
