import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { IdleTimeout, UpstreamBody } from './upstream-body.js';

async function drain(body: UpstreamBody): Promise<string> {
  const parts: Buffer[] = [];
  for (let c = await body.next(); c !== null; c = await body.next()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('UpstreamBody', () => {
  it('reads chunks in order, then null; runs onDone once', async () => {
    const raw = new PassThrough();
    let done = 0;
    const body = new UpstreamBody(raw, undefined, 0, () => done++);
    raw.write('hello ');
    setImmediate(() => raw.end('world'));
    expect(await drain(body)).toBe('hello world');
    expect(await body.next()).toBeNull();
    expect(done).toBe(1);
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes %s', async (enc, compress) => {
    const raw = new PassThrough();
    const body = new UpstreamBody(raw, enc, 0);
    expect(body.encoding).toBe('decoded');
    raw.end(compress(Buffer.from('{"usage":{"prompt_tokens":3}}')));
    expect(await drain(body)).toBe('{"usage":{"prompt_tokens":3}}');
  });

  it('knows what it cannot decode', () => {
    const encoding = (h: string | undefined) => new UpstreamBody(new PassThrough(), h, 0).encoding;
    expect(encoding('zstd')).toBe('undecodable');
    expect(encoding('gzip, zstd')).toBe('undecodable');
    expect(encoding('gzip, br')).toBe('decoded');
    expect(encoding(' Identity ')).toBe('identity');
    expect(encoding(undefined)).toBe('identity');
  });

  it('a corrupt gzip body fails instead of hanging', async () => {
    const raw = new PassThrough();
    const body = new UpstreamBody(raw, 'gzip', 0);
    raw.end(Buffer.from('this is not gzip'));
    await expect(drain(body)).rejects.toThrow();
  });

  it('times out only while it waits for bytes: a slow app reader is not an idle upstream', async () => {
    const raw = new PassThrough();
    const body = new UpstreamBody(raw, undefined, 40);
    raw.write('a');
    // The app reads nothing for 3 idle periods while a byte sits buffered: no timeout.
    await new Promise((r) => setTimeout(r, 120));
    expect((await body.next())?.toString()).toBe('a');
    // Now it waits, and the upstream sends nothing.
    await expect(body.next()).rejects.toBeInstanceOf(IdleTimeout);
    expect(raw.destroyed).toBe(true);
  });

  it('abort rejects a waiting read and destroys the upstream stream', async () => {
    const raw = new PassThrough();
    const body = new UpstreamBody(raw, undefined, 0);
    const waiting = body.next();
    body.abort(new Error('app went away'));
    await expect(waiting).rejects.toThrow('app went away');
    expect(raw.destroyed).toBe(true);
  });
});
