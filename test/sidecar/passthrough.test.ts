/**
 * The pass-through on its own, between a real app-facing server and a real
 * upstream on loopback: streaming both ways, the reply transform with
 * decoding of encoded replies, header scrubbing, and aborts.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Passthrough, type PassRequest } from '../../sidecar/proxy/passthrough.js';
import { UpstreamPools } from '../../sidecar/proxy/pools.js';
import { ClientGone, RequestSignal } from '../../sidecar/proxy/abort.js';

const KEY = 'relay-secret-key-for-passthrough-0009';

/** Replaces the key in a body; good enough for tests (no split across chunks in these bodies). */
const scrubber = (): Transform =>
  new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, Buffer.from(chunk.toString('utf8').split(KEY).join('[redacted]')));
    },
  });

interface Rig {
  app: string;
  upstream: http.Server;
  upstreamSeen: http.IncomingMessage[];
  errors: Error[];
  close(): Promise<void>;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function setup(handler: http.RequestListener, ctx: Partial<PassRequest> = {}): Promise<Rig> {
  const upstreamSeen: http.IncomingMessage[] = [];
  const upstream = http.createServer((req, res) => {
    upstreamSeen.push(req);
    handler(req, res);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const pools = new UpstreamPools(5_000);
  const pass = new Passthrough(pools);
  const errors: Error[] = [];
  const app = http.createServer((req, res) => {
    // The request's signal, as server.ts keeps it: aborted with ClientGone when the app goes away.
    const signal = new RequestSignal();
    res.on('close', () => {
      if (!res.writableFinished) signal.abort(new ClientGone());
    });
    pass.forward(req, res, req.url ?? '/', {
      signal,
      side: 'relay',
      upstream: { origin, basePath: '/v1' } as PassRequest['upstream'],
      keys: { relay: KEY },
      officialUsesOwnKey: false,
      timeoutMs: 10_000,
      startedAt: performance.now(),
      onError: (err) => {
        errors.push(err);
        if (res.headersSent) res.destroy();
        else res.writeHead(502, { 'content-type': 'text/plain' }).end(`502 ${(err as { code?: string }).code ?? err.message}`);
      },
      ...ctx,
    });
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  return {
    app: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    upstream,
    upstreamSeen,
    errors,
    async close() {
      app.closeAllConnections();
      upstream.closeAllConnections();
      await pools.close();
      await Promise.all([new Promise((r) => app.close(r)), new Promise((r) => upstream.close(r))]);
    },
  };
}

const body = `{"error":{"message":"bad key ${KEY}"}}`;

describe('reply transform', () => {
  for (const [coding, encode] of [
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const) {
    it(`decodes a ${coding} reply before the transform and drops content-encoding and content-length`, async () => {
      rig = await setup((_req, res) => {
        const enc = encode(Buffer.from(body));
        res.writeHead(400, { 'content-type': 'application/json', 'content-encoding': coding, 'content-length': enc.length });
        res.end(enc);
      }, { transform: scrubber });
      const res = await fetch(`${rig.app}/v1/files`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(await res.text()).toBe('{"error":{"message":"bad key [redacted]"}}');
      expect(rig.upstreamSeen[0]!.headers['accept-encoding']).toBe('identity');
    });
  }

  it('passes an encoded reply through untouched when there is no transform', async () => {
    const enc = zlib.gzipSync(Buffer.from('hello'));
    rig = await setup((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': enc.length, connection: 'keep-alive' });
      res.end(enc);
    });
    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      http.get(`${rig!.app}/v1/models`, { headers: { connection: 'close' } }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (b: Buffer) => parts.push(b));
        r.on('end', () => resolve({ headers: r.headers, bytes: Buffer.concat(parts) }));
      }).on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['content-length']).toBe(String(enc.length));
    expect(raw.headers['connection']).toBe('close'); // the upstream's keep-alive is not passed on
    expect(raw.bytes.equals(enc)).toBe(true);
    expect(raw.headers['x-bellwether-overhead-ms']).toMatch(/^\d+\.\d{3}$/);
  });

  it('refuses a reply it cannot decode when a transform is set', async () => {
    rig = await setup((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd' });
      res.end('whatever');
    }, { transform: scrubber });
    const res = await fetch(`${rig.app}/v1/files`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('502 UNSUPPORTED_CONTENT_ENCODING');
  });

  it('applies scrubHeaders to the reply headers', async () => {
    rig = await setup((_req, res) => {
      res.writeHead(200, { 'x-echo-key': KEY, 'content-type': 'text/plain' });
      res.end('ok');
    }, {
      scrubHeaders: (h) => Object.fromEntries(Object.entries(h).filter(([, v]) => !String(v).includes(KEY))),
    });
    const res = await fetch(`${rig.app}/v1/models`);
    expect(res.headers.get('x-echo-key')).toBeNull();
    expect(res.headers.get('content-type')).toBe('text/plain');
  });

  it('does not ask the official side for identity encoding', async () => {
    rig = await setup((_req, res) => res.end('ok'), { side: 'official', keys: {} });
    await (await fetch(`${rig.app}/v1/models`, { headers: { 'accept-encoding': 'gzip' } })).text();
    expect(rig.upstreamSeen[0]!.headers['accept-encoding']).toBe('gzip');
  });
});

describe('streaming', () => {
  it('streams a large request body to the upstream and its reply back', async () => {
    rig = await setup((req, res) => {
      let n = 0;
      req.on('data', (b: Buffer) => (n += b.length));
      req.on('end', () => res.end(JSON.stringify({ received: n, path: req.url, length: req.headers['content-length'] ?? null })));
    });
    const payload = Buffer.alloc(8 * 1024 * 1024, 0x61);
    const res = await fetch(`${rig.app}/v1/files?purpose=batch`, { method: 'POST', body: payload, headers: { 'content-type': 'application/octet-stream' } });
    expect(await res.json()).toEqual({ received: payload.length, path: '/v1/files?purpose=batch', length: String(payload.length) });
  });

  it('aborts the upstream request when the app goes away mid-reply', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    rig = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      res.on('close', () => upstreamClosed());
    });
    const ac = new AbortController();
    const res = await fetch(`${rig.app}/v1/batches/stream`, { signal: ac.signal });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    ac.abort();
    await closed; // resolves only if the sidecar closed its upstream request
    expect(rig.errors).toEqual([]);
  });

  it('answers an upstream that refuses the connection with an error reply, a request body notwithstanding', async () => {
    rig = await setup((_req, res) => res.end());
    const port = (rig.upstream.address() as AddressInfo).port;
    rig.upstream.close();
    rig.upstream.closeAllConnections();
    await once(rig.upstream, 'close');
    const res = await fetch(`${rig.app}/v1/files`, { method: 'POST', body: Buffer.alloc(256 * 1024, 0x62) });
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('502 ECONNREFUSED');
    expect(port).toBeGreaterThan(0);
  });
});
