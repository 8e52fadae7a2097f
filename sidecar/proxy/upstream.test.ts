import { describe, expect, it } from 'vitest';
import { errors } from 'undici';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callUpstream, errorKind, FirstByteTimeout, type AttemptRequest } from './upstream.js';
import { UpstreamPools } from './pools.js';
import type { AttemptSlot } from './abort.js';
import { IdleTimeout } from './upstream-body.js';

const coded = (code: string): Error => Object.assign(new Error(code), { code });

describe('errorKind', () => {
  it.each([
    ['ECONNREFUSED before headers', coded('ECONNREFUSED'), false, 'connect'],
    ['ECONNRESET after headers', coded('ECONNRESET'), true, 'cut'],
    ['undici socket closed', coded('UND_ERR_SOCKET'), false, 'connect'],
    ['DNS', coded('ENOTFOUND'), false, 'connect'],
    ['TLS', coded('ERR_TLS_CERT_ALTNAME_INVALID'), false, 'connect'],
    ['TLS verification', coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), false, 'connect'],
    ['corrupt gzip', coded('Z_DATA_ERROR'), true, 'cut'],
    ['connect timeout', new errors.ConnectTimeoutError(), false, 'connect_timeout'],
    ['first-byte timeout', new FirstByteTimeout(500), false, 'first_byte_timeout'],
    ['idle timeout', new IdleTimeout(500), true, 'idle_timeout'],
    ['undici refusing the Expect header', new errors.NotSupportedError('expect header not supported'), false, 'local'],
    ['undici refusing an argument', new errors.InvalidArgumentError('invalid header'), false, 'local'],
    ['a bug', new TypeError('x is undefined'), false, 'local'],
    ['relay headers over 16 KiB', coded('UND_ERR_HEADERS_OVERFLOW'), false, 'connect'],
    ['an egress proxy refusing the tunnel', coded('UND_ERR_ABORTED'), false, 'connect'],
    ['a decoder closing early', coded('ERR_STREAM_PREMATURE_CLOSE'), true, 'cut'],
    ['the body closing early, without a code', new Error('the upstream body closed early'), true, 'cut'],
    ['something unknown before headers', 'boom', false, 'connect'],
  ] as const)('%s', (_name, err, afterHeaders, kind) => {
    expect(errorKind(err, afterHeaders)).toBe(kind);
  });
});

describe('callUpstream over a real socket', () => {
  const listen = async (handler: http.RequestListener): Promise<{ origin: string; close: () => Promise<void> }> => {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
  };
  const call = (pools: UpstreamPools, origin: string, over: Partial<AttemptRequest> = {}) =>
    callUpstream(pools, { origin, path: '/v1/x', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: new AbortController().signal, slot: {}, firstByteMs: 5_000, idleMs: 5_000, ...over });

  it('skips 103 Early Hints and answers with the reply that follows', async () => {
    const up = await listen((_req, res) => {
      res.writeEarlyHints({ link: '</x>; rel=preload' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const pools = new UpstreamPools(1_000);
    try {
      const r = await call(pools, up.origin);
      expect(r.kind).toBe('response');
      if (r.kind !== 'response') return;
      expect(r.status).toBe(200);
      const rest: Buffer[] = r.first ? [r.first] : [];
      for (let c = await r.body.next(); c !== null; c = await r.body.next()) rest.push(c);
      expect(Buffer.concat(rest).toString()).toBe('{"ok":true}');
    } finally {
      await pools.close();
      await up.close();
    }
  });

  it('a firstByte timeout ends an attempt whose headers came but whose body did not', async () => {
    const up = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders(); // and then nothing
    });
    const pools = new UpstreamPools(1_000);
    try {
      const r = await call(pools, up.origin, { firstByteMs: 100 });
      expect(r).toMatchObject({ kind: 'failure', error: 'first_byte_timeout' });
    } finally {
      await pools.close();
      await up.close();
    }
  });

  it('the request aborted through its slot settles the attempt as aborted', async () => {
    const up = await listen(() => undefined); // never answers
    const pools = new UpstreamPools(1_000);
    const ac = new AbortController();
    const slot: AttemptSlot = {};
    try {
      const pending = call(pools, up.origin, { signal: ac.signal, slot });
      await new Promise((r) => setTimeout(r, 50));
      const reason = new Error('the app went away');
      ac.abort(reason);
      slot.current?.abort(reason);
      expect(await pending).toEqual({ kind: 'aborted', reason });
    } finally {
      await pools.close();
      await up.close();
    }
  });
});
