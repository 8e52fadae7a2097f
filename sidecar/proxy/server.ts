/**
 * The app-facing server on 127.0.0.1:14000. It owns each request's scope
 * (start time, the AbortSignal that fires when the app goes away or
 * spec.timeouts.total runs out, the concurrency slot) and dispatches:
 * the four parsed endpoints to `handleParsed`, other `/v1/*` to the
 * pass-through, anything else to a 404 in the OpenAI shape.
 *
 * Every request gets exactly one response: every path ends in a reply, an
 * error reply, or — only when the app itself went away — nothing.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Runtime } from '../runtime.js';
import { statusClass, type Endpoint } from '../admin/metrics.js';
import { ERR, type ErrorDef } from '../errors.js';
import { readBody, refuseBody } from './body.js';
import { handleParsed, type RequestScope } from './handler.js';
import { ByteBudget, DEFAULT_MAX_BUFFERED_BYTES } from './budget.js';
import { normalisePath } from './path.js';
import { statefulReason } from './stateful.js';
import { headerValue } from './header-value.js';
import { scrubberFor } from './scrub.js';
import { Passthrough } from './passthrough.js';
import { UpstreamPools } from './pools.js';
import type { PoolOptions } from './pools.js';
import { bellwetherHeaders, sendError } from './respond.js';
import { pickSide, stickyKey } from './split.js';
import { ClientGone, RequestSignal, ShuttingDown, TotalTimeout, type AttemptSlot } from './abort.js';
import type { AbortLike } from '../clock.js';

/** How long, once the server stops accepting, a connection that has sent no request yet may still send one. */
const UNUSED_GRACE_MS = 1000;

const PARSED: Record<string, Endpoint> = {
  '/v1/chat/completions': 'chat_completions',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
};

export interface AppServer {
  server: http.Server;
  pools: UpstreamPools;
  close(): Promise<void>;
  /** Abort every request in flight with `reason` (shutdown deadline); each still gets its answer. */
  abortAll(reason: Error): void;
}

export interface AppServerOptions extends PoolOptions {
  /** Bytes held in memory for all in-flight requests together (request bodies, buffered replies, SSE events). */
  maxBufferedBytes?: number;
}

export function createAppServer(runtime: () => Runtime, opts: AppServerOptions = {}): AppServer {
  const pools = new UpstreamPools(runtime().route.timeouts.connectMs, opts);
  const budget = new ByteBudget(opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
  const passthrough = new Passthrough(pools);
  let inflight = 0;
  let closing = false;
  /**
   * Connections that have not sent a request yet. Node's `closeIdleConnections`
   * does not count them as idle, so one such connection (Node's own fetch
   * leaves one after an aborted stream) would hold `close()` until the
   * shutdown deadline; `close()` lets them go after UNUSED_GRACE_MS.
   */
  const unused = new Set<Socket>();
  const active = new Map<ServerResponse, (reason: Error) => void>();

  // bellwether_inflight_requests reads the count when Prometheus scrapes, not on every request.
  runtime().deps.metrics.inflightSource = () => inflight;

  const server = http.createServer((req, res) => {
    unused.delete(req.socket);
    // Draining: answer what still arrives on open connections, then let each connection go.
    if (closing) res.shouldKeepAlive = false;
    const rt = runtime();
    const { metrics, log } = rt.deps;
    const startedAt = performance.now();
    const target = normalisePath(req.url);
    const path = target.ok ? target.path : pathOnly(req.url);
    const endpoint = (req.method === 'POST' && PARSED[path]) || 'other';
    const access: RequestScope['log'] = {};
    const sidecarError = (e: ErrorDef, message: string, extra: Record<string, string> = {}): void => {
      sendError(res, e, message, { side: 'none', model: 'none', overheadMs: performance.now() - startedAt }, extra);
      metrics.requests.inc({ side: 'none', endpoint, status_class: statusClass(e.status) });
    };
    // The request's one 'close' listener (`on`: 'close' comes once, and spares the once-wrapper).
    // Node's pipeline() adds seven of its own to a piped reply, and an emitter warns past ten.
    let admitted: (() => void) | undefined;
    const debug = log.isLevelEnabled('debug');
    res.on('close', () => {
      admitted?.();
      if (debug) {
        log.debug(
          { method: req.method, path: headerValue(path, 200), status: res.statusCode, side: access.side ?? 'none', model: access.model === undefined ? undefined : headerValue(access.model, 100), calls: access.calls, pinned: access.pinned, ms: Math.round(performance.now() - startedAt), complete: res.writableFinished },
          'request',
        );
      }
    });

    if (!target.ok) {
      // Refused before any upstream is chosen: a path the sidecar cannot vouch for never leaves it with a key.
      return target.outside
        ? sidecarError(ERR.UNKNOWN_PATH, `bellwether serves the OpenAI API under /v1/; ${target.reason}.`)
        : sidecarError(ERR.INVALID_PATH, `The request path is not acceptable: ${target.reason}.`);
    }
    if (inflight >= rt.route.limits.maxConcurrent) {
      return sidecarError(ERR.TOO_MANY_CONCURRENT, `More than spec.limits.maxConcurrent (${rt.route.limits.maxConcurrent}) requests are in flight in this sidecar.`, { 'retry-after': '1' });
    }

    inflight++;
    const signal = new RequestSignal();
    // The request's attempt in flight is aborted with it, without a listener on `signal` per attempt.
    const slot: AttemptSlot = {};
    const abort = (reason: Error): void => {
      signal.abort(reason);
      slot.current?.abort(reason);
    };
    const ledger = budget.ledger();
    active.set(res, abort);
    const total = setTimeout(() => abort(new TotalTimeout(rt.route.timeouts.totalMs)), rt.route.timeouts.totalMs);
    admitted = () => {
      active.delete(res);
      clearTimeout(total);
      ledger.release();
      inflight--;
      if (!res.writableFinished) abort(new ClientGone());
    };

    const work = endpoint === 'other'
      ? pass(rt, req, res, path + target.query, startedAt, passthrough, sidecarError, signal, access)
      : readBody(req, rt.route.limits.maxRequestBytes, ledger).then((b) => {
          if (b.ok) return handleParsed(rt, pools, req, res, endpoint, b.body, { startedAt, signal, slot, ledger, path: path + target.query, log: access });
          if (b.reason === 'aborted') return undefined;
          const cap = rt.route.limits.maxRequestBytes;
          return refuseBody(req, res, cap).then((ended) => {
            if (!ended) return;
            if (b.reason === 'too_large') {
              sidecarError(ERR.REQUEST_TOO_LARGE, `The request body is larger than spec.limits.maxRequestBytes (${cap} bytes).`, { connection: 'close', 'x-should-retry': 'false' });
            } else {
              sidecarError(ERR.OVERLOADED, 'The sidecar is out of memory budget for in-flight requests; retry shortly.', { connection: 'close', 'retry-after': '1' });
            }
          });
        });
    work?.catch((err: unknown) => {
      log.error({ err }, 'request failed inside the sidecar');
      if (!res.headersSent) sidecarError(ERR.INTERNAL, 'The sidecar failed to handle the request; see its log.');
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // streams may run for spec.timeouts.total

  return {
    server,
    pools,
    /** Stop accepting, finish in-flight requests, close keep-alive connections as they go idle. */
    async close() {
      closing = true;
      for (const res of active.keys()) if (!res.headersSent) res.shouldKeepAlive = false;
      const began = performance.now();
      const idle = setInterval(() => {
        server.closeIdleConnections();
        // A request may be on its way on a connection accepted just before: it gets a moment to
        // arrive, and a connection whose first bytes are in is left to finish its request.
        if (performance.now() - began >= UNUSED_GRACE_MS) for (const socket of unused) if (socket.bytesRead === 0) socket.destroy();
      }, 50);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(idle);
      await pools.close();
    },
    abortAll(reason) {
      for (const abort of active.values()) abort(reason);
    },
  };
}

function pass(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  startedAt: number,
  passthrough: Passthrough,
  sidecarError: (e: ErrorDef, message: string) => void,
  signal: AbortLike,
  access: RequestScope['log'],
): void {
  const route = rt.route;
  // Stateful resources (files, batches, stored responses …) stay on the official API (ADR 0006);
  // without a relay key the relay is no candidate.
  const pinned = statefulReason(req.method ?? 'GET', pathOnly(path), undefined);
  if (pinned) access.pinned = pinned;
  const side = pinned === undefined && rt.keys.relay !== undefined
    ? pickSide(rt.effectiveWeight(), stickyKey(route.canary.stickyBy, req.headers, undefined), rt.salt, rt.deps.random)
    : 'official';
  access.side = side;
  for (const [k, v] of Object.entries(bellwetherHeaders({ side, model: 'none', overheadMs: 0 }))) res.setHeader(k, v);
  res.once('finish', () => {
    rt.deps.metrics.requests.inc({ side, endpoint: 'other', status_class: statusClass(res.statusCode) });
    rt.deps.metrics.duration.observe({ side, endpoint: 'other', phase: 'total' }, (performance.now() - startedAt) / 1000);
  });
  // Everything the relay sends back is scrubbed of the relay key, headers included.
  const scrub = side === 'relay' ? scrubberFor(rt.keys.relay) : undefined;
  passthrough.forward(req, res, path, {
    side,
    ...(scrub ? { transform: () => scrub.transform(), scrubHeaders: (h) => scrub.scrubHeaders(h) } : {}),
    upstream: side === 'relay' ? route.relay : route.official,
    keys: rt.keys,
    officialUsesOwnKey: route.official.apiKeySecretRef !== undefined,
    timeoutMs: route.timeouts.totalMs,
    startedAt,
    signal,
    onError: (err) => {
      if (err instanceof ClientGone) return;
      const code = (err as { code?: string }).code ?? 'error';
      rt.deps.log.warn({ side, code }, 'pass-through request failed');
      if (res.headersSent) res.destroy();
      else if (err instanceof ShuttingDown) sidecarError(ERR.SHUTTING_DOWN, err.message);
      else if (err instanceof TotalTimeout) sidecarError(ERR.UPSTREAM_TIMEOUT, err.message);
      else sidecarError(ERR.UPSTREAM_UNAVAILABLE, `The ${side} upstream could not be reached (${code}).`);
    },
  });
}

function pathOnly(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q === -1 ? u : u.slice(0, q);
}
