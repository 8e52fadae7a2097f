/**
 * `/v1/*` requests the sidecar does not parse (models, files, audio, batches,
 * …): forwarded to the chosen side over the same undici pools as the parsed
 * endpoints (so the connection cap and the egress proxy apply), streamed both
 * ways with backpressure, never buffered. Only the Authorization rewrite and
 * the bellwether headers apply; the sidecar talks only to the route's two
 * base URLs.
 *
 * Every wait ends when the request's signal fires — the app went away (its
 * response closed), spec.timeouts.total, shutdown — the upstream request is
 * aborted and the body streams are destroyed.
 *
 * A `transform` sees every byte of the reply body (the relay key scrubber):
 * the relay is asked for `accept-encoding: identity`, and a reply encoded
 * anyway (gzip, deflate, br) is decoded first; one in another coding is
 * refused, since it could not be scrubbed.
 */
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from './undici.js';
import type { Side, Upstream } from '../config/route.js';
import type { Keys } from '../config/keys.js';
import { upstreamHeaders, upstreamPath } from './rewrite.js';
import { HOP_BY_HOP } from './hop-by-hop.js';
import { decoders } from './content-encoding.js';
import { ClientGone } from './abort.js';
import type { UpstreamPools } from './pools.js';
import type { AbortLike } from '../clock.js';

export type ReplyHeaders = Record<string, string | string[]>;

export interface PassRequest {
  side: Side;
  upstream: Upstream;
  keys: Keys;
  officialUsesOwnKey: boolean;
  /** Upper bound on the wait for headers and on a gap between body chunks. */
  timeoutMs: number;
  /** performance.now() when the app's request arrived; the overhead header is measured from it. */
  startedAt: number;
  /**
   * The request's signal: aborts the upstream request. The app going away aborts it with
   * `ClientGone` (server.ts; nothing else to answer then); any other reason (total timeout,
   * shutdown) goes to `onError`.
   */
  signal: AbortLike;
  /** Called once when the request fails: before the reply started (answer it) or during it. */
  onError: (err: Error) => void;
  /** Applied to the reply body; the reply is decoded first if it is encoded. */
  transform?: () => Transform | undefined;
  /** Applied to the reply headers (after hop-by-hop headers are dropped). */
  scrubHeaders?: (h: ReplyHeaders) => ReplyHeaders;
}

export class UnsupportedEncoding extends Error {
  readonly code = 'UNSUPPORTED_CONTENT_ENCODING';
  constructor(coding: string) {
    super(`the upstream reply is in content-encoding "${coding}", which the sidecar cannot decode`);
  }
}

export class Passthrough {
  constructor(private readonly pools: UpstreamPools) {}

  /** `appPath` is the app's `/v1/...` URL (query included); the upstream gets `<basePath>/...`. */
  forward(req: IncomingMessage, res: ServerResponse, appPath: string, ctx: PassRequest): void {
    void this.run(req, res, appPath, ctx);
  }

  private async run(req: IncomingMessage, res: ServerResponse, appPath: string, ctx: PassRequest): Promise<void> {
    const headers = upstreamHeaders(req.headers, ctx.side, ctx.keys, ctx.officialUsesOwnKey, { parsed: false });
    if (typeof headers === 'string') return ctx.onError(new Error('no relay API key is loaded'));
    // The relay's replies may be scrubbed, which needs plain bytes.
    if (ctx.side === 'relay') headers['accept-encoding'] = 'identity';
    const length = req.headers['content-length'];
    if (length !== undefined) headers['content-length'] = length;
    const hasBody = length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined;

    // undici takes an AbortSignal; the request's signal feeds it.
    const ac = new AbortController();
    const onSignal = (): void => ac.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onSignal();
    ctx.signal.addEventListener('abort', onSignal, { once: true });
    const done = (): void => ctx.signal.removeEventListener('abort', onSignal);

    // undici destroys a request body it could not send; a pipe between keeps that from
    // destroying the app's connection, which still needs the error answer.
    const body = hasBody ? req.pipe(new PassThrough()) : null;
    const dispatchedAt = performance.now();
    let up: Dispatcher.ResponseData;
    try {
      up = await this.pools.dispatcher(ctx.upstream.origin).request({
        path: upstreamPath(ctx.upstream, appPath),
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers,
        body,
        signal: ac.signal,
        headersTimeout: ctx.timeoutMs,
        bodyTimeout: ctx.timeoutMs,
      });
    } catch (err) {
      done();
      settleRequestBody(req, res);
      return ctx.onError(ac.signal.aborted ? asError(ac.signal.reason) : asError(err));
    }

    const reply = up.body as unknown as Readable;
    let out = replyHeaders(up.headers);
    const stages: Transform[] = [];
    const transform = req.method === 'HEAD' ? undefined : ctx.transform?.();
    if (transform) {
      const decode = decoders(up.headers['content-encoding']);
      if (!decode) {
        reply.on('error', () => undefined).destroy();
        done();
        return ctx.onError(new UnsupportedEncoding(String(up.headers['content-encoding'])));
      }
      stages.push(...decode, transform);
      delete out['content-encoding'];
      delete out['content-length'];
    }
    if (ctx.scrubHeaders) out = ctx.scrubHeaders(out);
    out['x-bellwether-overhead-ms'] = (dispatchedAt - ctx.startedAt).toFixed(3);
    res.writeHead(up.statusCode, out);
    try {
      await pipeline([reply, ...stages, res]);
    } catch (err) {
      if (!res.writableFinished) res.destroy();
      if (!(ac.signal.reason instanceof ClientGone)) ctx.onError(ac.signal.aborted ? asError(ac.signal.reason) : asError(err));
    } finally {
      done();
    }
  }
}

/** The upstream's reply headers for the app: hop-by-hop ones dropped, its length kept. */
function replyHeaders(h: IncomingHttpHeaders): ReplyHeaders {
  const out: ReplyHeaders = {};
  for (const [name, value] of Object.entries(h)) {
    if (value === undefined || name.startsWith('x-bellwether-')) continue;
    // Hop-by-hop headers describe the sidecar's connection to the upstream, not the app's
    // connection to the sidecar: passing on `connection: keep-alive` would override an
    // app's `Connection: close`.
    if (HOP_BY_HOP.has(name) && name !== 'content-length') continue;
    out[name] = value;
  }
  return out;
}

/**
 * After a failure before the reply, the app's request body may be half read:
 * read the rest away and close the connection after the error answer, so
 * the next request on it does not start mid-body.
 */
function settleRequestBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.shouldKeepAlive = false;
  req.unpipe();
  req.resume();
}

function asError(x: unknown): Error {
  return x instanceof Error ? x : new Error(String(x));
}
