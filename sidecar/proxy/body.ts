/**
 * Reading an app request body into memory with a cap
 * (spec.limits.maxRequestBytes). A declared Content-Length over the cap is
 * refused before a byte is read.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

export function readBody(req: IncomingMessage, cap: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > cap) {
        req.pause();
        done({ ok: false, reason: 'too_large' });
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => done({ ok: true, body: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) }));
    req.once('error', () => done({ ok: false, reason: 'aborted' }));
    req.once('close', () => done({ ok: false, reason: 'aborted' }));
  });
}
