import { describe, expect, it } from 'vitest';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { HIGH_WATER, IdleTimeout, UpstreamBody } from './upstream-body.js';

async function drain(body: UpstreamBody): Promise<string> {
  const parts: Buffer[] = [];
  for (let c = await body.next(); c !== null; c = await body.next()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('UpstreamBody', () => {
  it('reads chunks in order, then null; runs onDone once', async () => {
    let done = 0;
    const body = new UpstreamBody(undefined, 0, { onDone: () => done++ });
    body.push(Buffer.from('hello '));
    setImmediate(() => {
      body.push(Buffer.from('world'));
      body.end();
    });
    expect(await drain(body)).toBe('hello world');
    expect(await body.next()).toBeNull();
    expect(done).toBe(1);
  });

  it('a body that ended before it was read is drained after its last chunk, and done then', async () => {
    let done = 0;
    const body = new UpstreamBody(undefined, 0, { onDone: () => done++ });
    body.push(Buffer.from('a'));
    body.push(Buffer.from('b'));
    body.end();
    expect(body.drained).toBe(false);
    expect((await body.next())?.toString()).toBe('a');
    expect(body.drained).toBe(false);
    expect((await body.next())?.toString()).toBe('b');
    expect(body.drained).toBe(true); // a reader may stop here without another next()
    expect(done).toBe(1);
  });

  it('read() is next() with callbacks: at once when a chunk is queued, later when one arrives', () => {
    const body = new UpstreamBody(undefined, 0);
    const got: string[] = [];
    body.push(Buffer.from('now'));
    body.read((b) => got.push(String(b)), () => got.push('error'));
    body.read((b) => got.push(String(b)), () => got.push('error'));
    expect(got).toEqual(['now']);
    body.push(Buffer.from('later'));
    expect(got).toEqual(['now', 'later']);
  });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes %s', async (enc, compress) => {
    const body = new UpstreamBody(enc, 0);
    expect(body.encoding).toBe('decoded');
    body.push(compress(Buffer.from('{"usage":{"prompt_tokens":3}}')));
    body.end();
    expect(await drain(body)).toBe('{"usage":{"prompt_tokens":3}}');
  });

  it('decodes two codings applied in turn (gzip, then br)', async () => {
    const body = new UpstreamBody('gzip, br', 0);
    body.push(brotliCompressSync(gzipSync(Buffer.from('both'))));
    body.end();
    expect(await drain(body)).toBe('both');
  });

  it('knows what it cannot decode', () => {
    const encoding = (h: string | undefined) => new UpstreamBody(h, 0).encoding;
    expect(encoding('zstd')).toBe('undecodable');
    expect(encoding('gzip, zstd')).toBe('undecodable');
    expect(encoding('gzip, br')).toBe('decoded');
    expect(encoding(' Identity ')).toBe('identity');
    expect(encoding(undefined)).toBe('identity');
  });

  it('a corrupt gzip body fails instead of hanging', async () => {
    const body = new UpstreamBody('gzip', 0);
    body.push(Buffer.from('this is not gzip'));
    body.end();
    await expect(drain(body)).rejects.toThrow();
  });

  it('an upstream failure after some bytes rejects the read that waits', async () => {
    const body = new UpstreamBody(undefined, 0);
    body.push(Buffer.from('a'));
    expect((await body.next())?.toString()).toBe('a');
    const waiting = body.next();
    body.fail(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    await expect(waiting).rejects.toThrow('other side closed');
  });

  it('times out only while it waits for bytes: a slow app reader is not an idle upstream', async () => {
    const aborted: Error[] = [];
    const body = new UpstreamBody(undefined, 40, { abort: (e) => aborted.push(e) });
    body.push(Buffer.from('a'));
    // The app reads nothing for 3 idle periods while a byte sits buffered: no timeout.
    await new Promise((r) => setTimeout(r, 120));
    expect((await body.next())?.toString()).toBe('a');
    // Now it waits, and the upstream sends nothing.
    await expect(body.next()).rejects.toBeInstanceOf(IdleTimeout);
    expect(aborted).toHaveLength(1); // the upstream request was aborted
    expect(aborted[0]).toBeInstanceOf(IdleTimeout);
  });

  it('the idle clock restarts with every wait: bytes that keep coming within `idle` never time out', async () => {
    const body = new UpstreamBody(undefined, 60);
    body.push(Buffer.from('0'));
    await body.next();
    for (let i = 1; i <= 6; i++) {
      const waiting = body.next(); // waits; the byte comes 30 ms later, under the 60 ms idle limit
      setTimeout(() => body.push(Buffer.from(String(i))), 30);
      expect((await waiting)?.toString()).toBe(String(i));
    }
    await expect(body.next()).rejects.toBeInstanceOf(IdleTimeout); // then nothing: the timeout
  });

  it('abort rejects a waiting read and aborts the upstream request once', async () => {
    const aborted: Error[] = [];
    let done = 0;
    const body = new UpstreamBody(undefined, 0, { abort: (e) => aborted.push(e), onDone: () => done++ });
    const waiting = body.next();
    body.abort(new Error('app went away'));
    body.abort(new Error('again'));
    await expect(waiting).rejects.toThrow('app went away');
    expect(aborted.map((e) => e.message)).toEqual(['app went away']);
    expect(done).toBe(1);
  });

  it('pauses the upstream when the reader falls behind, and resumes it when the reader catches up', async () => {
    let resumed = 0;
    const body = new UpstreamBody(undefined, 0, { resume: () => resumed++ });
    const chunk = Buffer.alloc(16 * 1024);
    const accepted: boolean[] = [];
    for (let i = 0; i < 6; i++) accepted.push(body.push(chunk));
    expect(accepted).toEqual([true, true, true, true, false, false]); // over 64 KiB queued: pause
    expect(HIGH_WATER).toBe(64 * 1024);
    for (let i = 0; i < 3; i++) await body.next();
    expect(resumed).toBe(0); // still 48 KiB queued
    await body.next();
    expect(resumed).toBe(1); // at half the mark: the upstream may send again
    body.end();
    expect((await drain(body)).length).toBe(2 * 16 * 1024);
  });
});
