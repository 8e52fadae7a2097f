/**
 * `/v1/*` requests the sidecar does not parse (models, files, audio, batches,
 * …): forwarded to the chosen side through http-proxy, streamed both ways,
 * never buffered. Only the Authorization rewrite and the bellwether headers
 * apply; the sidecar talks only to the route's two base URLs.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import httpProxy from 'http-proxy';
import type { Side, Upstream } from '../config/route.js';
import type { Keys } from '../config/keys.js';
import { upstreamHeaders } from './rewrite.js';
import { HOP_BY_HOP } from './hop-by-hop.js';

export interface PassRequest {
  side: Side;
  upstream: Upstream;
  keys: Keys;
  officialUsesOwnKey: boolean;
  timeoutMs: number;
  /** performance.now() when the app's request arrived; the overhead header is measured from it. */
  startedAt: number;
  dispatchedAt?: number;
  onError: (err: Error) => void;
}


const contexts = new WeakMap<IncomingMessage, PassRequest>();

export class Passthrough {
  private readonly proxy = httpProxy.createProxyServer({ changeOrigin: true, xfwd: false, ws: false });
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  constructor() {
    this.proxy.on('proxyReq', (proxyReq, req) => {
      const ctx = contexts.get(req);
      if (!ctx) return;
      const wanted = upstreamHeaders(req.headers, ctx.side, ctx.keys, ctx.officialUsesOwnKey, { parsed: false });
      if (typeof wanted === 'string') return; // checked before forwarding
      for (const name of proxyReq.getHeaderNames()) {
        if (name !== 'host' && name !== 'content-length' && name !== 'transfer-encoding' && !(name in wanted)) proxyReq.removeHeader(name);
      }
      for (const [name, value] of Object.entries(wanted)) proxyReq.setHeader(name, value);
      ctx.dispatchedAt = performance.now();
    });
    this.proxy.on('proxyRes', (proxyRes, req, res) => {
      // Hop-by-hop headers describe the sidecar's connection to the upstream, not the app's
      // connection to the sidecar: passing on `connection: keep-alive` would override an
      // app's `Connection: close`.
      for (const name of HOP_BY_HOP) if (name !== 'content-length') delete proxyRes.headers[name];
      const ctx = contexts.get(req);
      if (ctx?.dispatchedAt !== undefined) res.setHeader('x-bellwether-overhead-ms', (ctx.dispatchedAt - ctx.startedAt).toFixed(3));
    });
    this.proxy.on('error', (err, req) => {
      contexts.get(req as IncomingMessage)?.onError(err);
    });
  }

  /** `appPath` is the app's `/v1/...` URL; the upstream gets `<basePath>/...`. */
  forward(req: IncomingMessage, res: ServerResponse, appPath: string, ctx: PassRequest): void {
    contexts.set(req, ctx);
    req.url = appPath.slice('/v1'.length) || '/';
    const secure = ctx.upstream.origin.startsWith('https:');
    this.proxy.web(req, res, {
      target: ctx.upstream.origin + ctx.upstream.basePath,
      agent: secure ? this.agents.https : this.agents.http,
      proxyTimeout: ctx.timeoutMs,
    });
  }

  close(): void {
    this.proxy.close();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
