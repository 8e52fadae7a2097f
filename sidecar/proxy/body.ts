/**
 * Reading an app request body into memory with a cap
 * (spec.limits.maxRequestBytes), each byte taken from the request's share of
 * the sidecar's memory budget. A declared Content-Length over the cap is
 * refused before a byte is read.
 *
 * Refusing a body is done so that the client reads the refusal: the rest of
 * the upload is read and discarded (up to a bound) instead of closing the
 * connection under a client that is still writing — which the client sees
 * as a connection error (EPIPE) rather than the 413, and the OpenAI SDK then
 * uploads the whole body again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ledger } from './budget.js';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'overloaded' | 'aborted' };

export function readBody(req: IncomingMessage, cap: number, ledger: Ledger): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    // The listeners stay on `req` for the request's life (a stream's minutes): through them
    // nothing may keep the body — neither the chunks nor, via `resolve`, the settled result.
    let settle: ((r: BodyResult) => void) | undefined = resolve;
    const done = (r: BodyResult): void => {
      const s = settle;
      if (!s) return;
      settle = undefined;
      req.off('data', onData);
      parts.length = 0;
      s(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > cap) return done({ ok: false, reason: 'too_large' });
      if (!ledger.take(chunk.length)) return done({ ok: false, reason: 'overloaded' });
      parts.push(chunk);
    };
    // `on`, not `once`: `done` settles once, and once-wrappers cost an allocation each per request.
    req.on('data', onData);
    req.on('end', () => {
      // After a refusal (too large, over the memory budget) the rest is discarded: nothing to assemble.
      if (settle) done({ ok: true, body: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) });
    });
    req.on('error', () => done({ ok: false, reason: 'aborted' }));
    req.on('close', () => done({ ok: false, reason: 'aborted' }));
  });
}

/** How much more of a refused upload is read and thrown away before the connection is cut instead. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

/**
 * Read and discard the rest of a refused upload, so the client — which
 * reads the response only once it has sent its body — gets the error
 * instead of a broken pipe. Resolves true once the upload has ended (then
 * answer, and the connection closes after the answer), false when it ran
 * far past the cap and the connection was cut instead.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, cap: number): Promise<boolean> {
  res.shouldKeepAlive = false;
  if (req.readableEnded || req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let discarded = 0;
    const limit = Math.max(DISCARD_LIMIT, cap * 2);
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limit) {
        req.socket.destroy();
        resolve(false);
      }
    });
    req.once('end', () => resolve(true));
    req.once('close', () => resolve(req.complete));
    req.resume();
  });
}
