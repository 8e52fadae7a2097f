/**
 * Upstream traffic leaves through one transport (pools.ts): the egress proxy
 * from HTTPS_PROXY/HTTP_PROXY/NO_PROXY and the per-origin connection cap
 * apply to parsed and pass-through requests alike.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../fakes/forward-proxy.js';
import { UpstreamPools } from '../../sidecar/proxy/pools.js';
import { RELAY_KEY, startStack, type Stack } from './harness.js';

let stack: Stack | undefined;
let proxy: ForwardProxy | undefined;
afterEach(async () => {
  await stack?.close();
  await proxy?.close();
  stack = proxy = undefined;
});

const chat = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('egress proxy', () => {
  it('sends parsed and pass-through requests to an http:// upstream through HTTP_PROXY in absolute form', async () => {
    proxy = await startForwardProxy();
    stack = await startStack({ canary: { weight: 100 } }, { proxy: { http: proxy.url } });
    const res = await stack.client().chat.completions.create(chat).withResponse();
    expect(res.response.headers.get('x-bellwether-side')).toBe('relay');
    const models = await stack.client().models.list().withResponse();
    expect(models.response.headers.get('x-bellwether-side')).toBe('relay');

    const origin = new URL(stack.relay.url).origin;
    expect(proxy.seen).toEqual([`POST ${origin}/v1/chat/completions`, `GET ${origin}/v1/models`]);
    expect(stack.relay.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/models']);
    // The key rules hold through the proxy, and the proxy sees the upstream's Host.
    expect(stack.relay.requests[1]!.headers['authorization']).toBe(`Bearer ${RELAY_KEY}`);
    expect(stack.relay.requests[1]!.headers['host']).toBe(new URL(stack.relay.url).host);
  });

  it('connects directly to hosts NO_PROXY lists', async () => {
    proxy = await startForwardProxy();
    stack = await startStack({ canary: { weight: 100 } }, { proxy: { http: proxy.url, noProxy: 'example.com, 127.0.0.1' } });
    await stack.client().chat.completions.create(chat);
    await stack.client().models.list();
    expect(stack.relay.requests).toHaveLength(2);
    expect(proxy.seen).toEqual([]);
    expect(proxy.connections).toBe(0);
  });

  it('an HTTPS_PROXY alone does not apply to an http:// upstream', async () => {
    proxy = await startForwardProxy();
    stack = await startStack({ canary: { weight: 100 } }, { proxy: { https: proxy.url } });
    await stack.client().models.list();
    expect(stack.relay.requests).toHaveLength(1);
    expect(proxy.seen).toEqual([]);
  });

  it('answers 502 in the OpenAI shape when the proxy cannot be reached', async () => {
    proxy = await startForwardProxy();
    const url = proxy.url;
    await proxy.close();
    proxy = undefined;
    stack = await startStack({ canary: { weight: 100 } }, { proxy: { http: url } });
    const res = await fetch(`${stack.sidecar.baseURL}/models`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-bellwether-error')).toBe('upstream_unavailable');
    expect(stack.relay.requests).toHaveLength(0);
  });
});

/** An upstream that holds every request until `releaseAll`, and counts sockets and concurrency. */
async function startHoldingServer() {
  const held: http.ServerResponse[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let peak = 0;
  let arrived = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    active++;
    arrived++;
    peak = Math.max(peak, active);
    res.on('finish', () => active--);
    held.push(res);
    for (const w of waiters.splice(0)) w();
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    peak: () => peak,
    arrived: () => arrived,
    async waitFor(n: number) {
      while (arrived < n) await new Promise<void>((r) => waiters.push(r));
    },
    releaseAll() {
      for (const res of held.splice(0)) res.end('ok');
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('connection cap', () => {
  it('opens at most maxConnectionsPerOrigin connections; the rest queue and are served as connections free up', async () => {
    const upstream = await startHoldingServer();
    const pools = new UpstreamPools(5_000, { maxConnectionsPerOrigin: 2 });
    try {
      const d = pools.dispatcher(upstream.origin);
      const replies = Array.from({ length: 5 }, () => d.request({ path: '/x', method: 'GET' }).then((r) => r.body.text()));
      await upstream.waitFor(2);
      // Two are at the upstream; three wait in the pool's queue. Each release lets the next ones in.
      while (upstream.arrived() < 5) {
        upstream.releaseAll();
        await upstream.waitFor(Math.min(5, upstream.arrived() + 1));
      }
      upstream.releaseAll();
      expect(await Promise.all(replies)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      expect(upstream.peak()).toBe(2);
      expect(upstream.sockets.size).toBe(2);
    } finally {
      await pools.close();
      await upstream.close();
    }
  });

  it('holds through the egress proxy too', async () => {
    const upstream = await startHoldingServer();
    proxy = await startForwardProxy();
    const pools = new UpstreamPools(5_000, { maxConnectionsPerOrigin: 2, proxy: { http: proxy.url } });
    try {
      const d = pools.dispatcher(upstream.origin);
      const replies = Array.from({ length: 5 }, () => d.request({ path: '/y', method: 'GET' }).then((r) => r.body.text()));
      await upstream.waitFor(2);
      while (upstream.arrived() < 5) {
        upstream.releaseAll();
        await upstream.waitFor(Math.min(5, upstream.arrived() + 1));
      }
      upstream.releaseAll();
      expect(await Promise.all(replies)).toHaveLength(5);
      expect(proxy.seen).toHaveLength(5);
      expect(proxy.seen[0]).toBe(`GET ${upstream.origin}/y`);
      expect(proxy.connections).toBe(2);
      expect(upstream.peak()).toBe(2);
    } finally {
      await pools.close();
      await upstream.close();
    }
  });
});
