/**
 * One call to one upstream, over a keep-alive undici Pool per origin.
 *
 * `callUpstream` resolves once the response headers AND the first body bytes
 * have arrived (or the body ended), so `firstByte` covers an upstream that
 * sends 200 headers and then stalls: such an attempt is still a failure the
 * caller can retry or fall back from, because nothing has reached the app.
 *
 * The call is an undici `dispatch()` with a handler (`UpstreamCall`), not
 * `request()`: no Readable, no promise per chunk, no AbortSignal listener.
 *
 * Every timeout is a plain timer (undici's own fire up to a second late):
 * `connect` in the connector, `firstByte` here on the attempt's abort switch
 * (a `RequestSignal` per attempt), `idle` in `UpstreamBody`. Failures come back as an
 * `ErrorKind` for the outcome classifier; an error that is the sidecar's own
 * (undici refusing a request the sidecar built) is `local`, never charged to
 * the upstream.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { util, type Dispatcher } from './undici.js';
import type { ErrorKind } from '../resilience/outcome.js';
import { IdleTimeout, UpstreamBody } from './upstream-body.js';
import { isEventStream } from './sse.js';
import { RequestSignal, type AttemptSlot } from './abort.js';
import type { UpstreamPools } from './pools.js';
import type { AbortLike } from '../clock.js';

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
  signal: AbortLike;
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

export function callUpstream(pools: UpstreamPools, req: AttemptRequest): Promise<AttemptResult> {
  if (req.signal.aborted) return Promise.resolve({ kind: 'aborted', reason: req.signal.reason });
  return new Promise((resolve) => {
    const call = new UpstreamCall(req, resolve);
    try {
      pools.dispatcher(req.origin).dispatch(
        { path: req.path, method: req.method as 'POST', headers: req.headers, body: req.body ?? null, headersTimeout: 0, bodyTimeout: 0 },
        call,
      );
    } catch (err) {
      call.onError(err as Error); // undici refusing the request synchronously (an argument, a header)
    }
  });
}

/**
 * One attempt as an undici dispatch handler (the callback API under
 * `request()`): no Readable, no promise per chunk, no AbortSignal listener.
 * The attempt's abort switch (firstByte timer, or the server aborting the
 * request through its slot) calls undici's abort directly, and settles the
 * attempt at once even when undici has not started it yet (a queued request).
 */
class UpstreamCall implements Dispatcher.DispatchHandler {
  readonly #req: AttemptRequest;
  #resolve: ((r: AttemptResult) => void) | undefined;
  /** A switch per attempt, so a firstByte timeout ends this attempt only. */
  readonly #ac = new RequestSignal();
  readonly #timer: NodeJS.Timeout;
  #abortUndici: ((err?: Error) => void) | undefined;
  #body: UpstreamBody | undefined;
  #status = 0;
  #headers: IncomingHttpHeaders | undefined;

  constructor(req: AttemptRequest, resolve: (r: AttemptResult) => void) {
    this.#req = req;
    this.#resolve = resolve;
    req.slot.current = this.#ac;
    this.#ac.addEventListener('abort', () => this.#aborted());
    this.#timer = setTimeout(() => this.#ac.abort(new FirstByteTimeout(req.firstByteMs)), req.firstByteMs);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abortUndici = abort;
    if (this.#ac.aborted) abort(asError(this.#ac.reason));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx (103 Early Hints): informational, the reply follows
    if (this.#resolve === undefined) return false; // settled already (aborted)
    this.#status = statusCode;
    const headers = util.parseHeaders(rawHeaders) as IncomingHttpHeaders;
    this.#headers = headers;
    const body = new UpstreamBody(headers['content-encoding'], this.#req.idleMs, {
      abort: (reason) => this.#abortUndici?.(reason),
      resume,
      onDone: () => this.#unlink(),
    });
    this.#body = body;
    // Settled once the first body bytes (or the end of an empty body) are in.
    body.read(
      (first) => this.#respond(first),
      (err: unknown) => this.#fail(err, true),
    );
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.#body ? this.#body.push(chunk) : true;
  }

  onComplete(): void {
    this.#body?.end();
  }

  onError(err: Error): void {
    if (this.#body) this.#body.fail(err);
    else this.#fail(err, false);
  }

  #respond(first: Buffer | null): void {
    const resolve = this.#resolve;
    if (!resolve) return;
    this.#resolve = undefined;
    const stream = this.#status < 300 && isEventStream(this.#headers!['content-type']);
    if (!stream) clearTimeout(this.#timer);
    const timer = this.#timer;
    resolve({
      kind: 'response',
      status: this.#status,
      headers: this.#headers!,
      body: this.#body!,
      first: first ?? undefined,
      firstByteAt: performance.now(),
      answered: stream ? () => clearTimeout(timer) : noop,
    });
  }

  #fail(err: unknown, afterHeaders: boolean): void {
    clearTimeout(this.#timer);
    this.#unlink();
    const resolve = this.#resolve;
    if (!resolve) return;
    this.#resolve = undefined;
    if (this.#req.signal.aborted) return resolve({ kind: 'aborted', reason: this.#req.signal.reason });
    const reason = this.#ac.aborted ? this.#ac.reason : err;
    resolve({ kind: 'failure', error: errorKind(reason, afterHeaders), detail: describeError(reason) });
  }

  /** The firstByte timer fired, or the server aborted the request: end the attempt now. */
  #aborted(): void {
    const reason = asError(this.#ac.reason);
    if (this.#body) this.#body.abort(reason); // rejects the first read, if it is still waiting
    else {
      this.#abortUndici?.(reason);
      this.#fail(reason, false);
    }
  }

  #unlink(): void {
    if (this.#req.slot.current === this.#ac) this.#req.slot.current = undefined;
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
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
