/**
 * One call to one upstream, over a keep-alive undici Pool per origin.
 *
 * `callUpstream` resolves once the response headers AND the first body bytes
 * have arrived (or the body ended), so `firstByte` covers an upstream that
 * sends 200 headers and then stalls: such an attempt is still a failure the
 * caller can retry or fall back from, because nothing has reached the app.
 * Failures come back classified in the vocabulary of `spec.retry.on`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { UpstreamPools } from './pools.js';

export { UpstreamPools } from './pools.js';

export type FailureClass = 'connect-error' | 'timeout';

export type AttemptResult =
  | {
      kind: 'response';
      status: number;
      headers: IncomingHttpHeaders;
      /** Iterator over the rest of the body (after `first`). */
      rest: AsyncIterator<Buffer>;
      /** The first body chunk; undefined for an empty body. */
      first: Buffer | undefined;
      /** ms timestamp (performance.now) of the first body byte or the end of an empty body. */
      firstByteAt: number;
      /** Abort the upstream request (e.g. the app went away mid-stream). */
      abort: (reason: Error) => void;
    }
  | { kind: 'failure'; cls: FailureClass; detail: string }
  | { kind: 'aborted'; reason: unknown };

export interface AttemptRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** Aborts when the app goes away or the total timeout fires. */
  signal: AbortSignal;
  firstByteMs: number;
  idleMs: number;
}

class FirstByteTimeout extends Error {
  constructor(ms: number) {
    super(`no response byte within ${ms} ms (spec.timeouts.firstByte)`);
  }
}

export async function callUpstream(pools: UpstreamPools, req: AttemptRequest): Promise<AttemptResult> {
  if (req.signal.aborted) return { kind: 'aborted', reason: req.signal.reason };
  // One AbortSignal per app request, handed to undici as is: no controller or listener per
  // attempt on the hot path. undici's headersTimeout covers the wait for headers; a timer
  // covers the rest of the firstByte budget until the first body bytes; bodyTimeout is idle.
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let firstByteExpired = false;
  try {
    const res = await pools.pool(req.origin).request({
      path: req.path,
      method: req.method as 'POST',
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal,
      headersTimeout: req.firstByteMs,
      bodyTimeout: req.idleMs,
    });
    const body = res.body as unknown as Readable;
    // Usually the first bytes came in with the headers; a timer is needed only when they did not.
    if (body.readableLength === 0) {
      const left = Math.max(0, req.firstByteMs - (performance.now() - started));
      timer = setTimeout(() => {
        firstByteExpired = true;
        body.destroy(new FirstByteTimeout(req.firstByteMs));
      }, left);
    }
    const rest = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const next = await rest.next();
    clearTimeout(timer);
    return {
      kind: 'response',
      status: res.statusCode,
      headers: res.headers as IncomingHttpHeaders,
      rest,
      first: next.done ? undefined : next.value,
      firstByteAt: performance.now(),
      abort: (reason) => body.destroy(reason),
    };
  } catch (err) {
    clearTimeout(timer);
    if (req.signal.aborted) return { kind: 'aborted', reason: req.signal.reason };
    if (firstByteExpired) return { kind: 'failure', cls: 'timeout', detail: new FirstByteTimeout(req.firstByteMs).message };
    return classify(err);
  }
}

function classify(err: unknown): AttemptResult {
  const code = (err as { code?: string }).code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'failure', cls: 'timeout', detail: 'connect timeout (spec.timeouts.connect)' };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { kind: 'failure', cls: 'timeout', detail: 'no response headers within spec.timeouts.firstByte' };
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'failure', cls: 'timeout', detail: 'upstream idle (spec.timeouts.idle)' };
    default:
      // ECONNREFUSED, ECONNRESET, ENOTFOUND, UND_ERR_SOCKET ("other side closed") …
      return { kind: 'failure', cls: 'connect-error', detail: code ? `${code}: ${message}` : message };
  }
}

/** Read the rest of a body into memory, up to `cap` bytes; undefined when it is larger. */
export async function readRest(
  first: Buffer | undefined,
  rest: AsyncIterator<Buffer>,
  cap: number,
): Promise<{ buffer: Buffer } | { overflow: Buffer[] }> {
  const parts: Buffer[] = first ? [first] : [];
  let size = first?.length ?? 0;
  for (;;) {
    const next = await rest.next();
    if (next.done) return { buffer: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) };
    parts.push(next.value);
    size += next.value.length;
    if (size > cap) return { overflow: parts };
  }
}
