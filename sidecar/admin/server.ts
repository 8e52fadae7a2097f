/**
 * The admin server on :14001: `/healthz` (the process is up), `/readyz` (a
 * route is loaded and the app port is listening; 503 `draining` once the
 * shutdown has begun), `/metrics` (Prometheus), `/status` (JSON, see
 * status.ts). Read-only; nothing here takes input.
 *
 * It listens on `::` by default: dual-stack, so IPv4, IPv6-only and
 * dual-stack pods all reach it. Where IPv6 is disabled, binding `::` fails
 * and it falls back to `0.0.0.0` (`listenAdmin`).
 */
import http from 'node:http';
import type { Logger } from '../log.js';
import type { Runtime } from '../runtime.js';
import type { ConfigHealth } from '../config/source.js';
import { statusDocument } from './status.js';

export interface AdminState {
  runtime: () => Runtime;
  health: () => ConfigHealth;
  ready: () => boolean;
  /** The shutdown has begun: `/readyz` answers 503 `draining`. */
  draining?: () => boolean;
}

export function createAdminServer(state: AdminState): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz':
        if (state.draining?.()) return send(res, 503, 'text/plain', 'draining\n');
        return state.ready() ? send(res, 200, 'text/plain', 'ready\n') : send(res, 503, 'text/plain', 'not ready\n');
      case '/status':
        return send(res, 200, 'application/json', JSON.stringify(statusDocument(state.runtime(), state.health(), state.ready()), null, 2) + '\n');
      case '/metrics': {
        const rt = state.runtime();
        rt.breakers.snapshot(); // brings breakers whose cooldown has passed to half_open before the scrape
        const registry = rt.deps.metrics.registry;
        registry.metrics().then(
          (text) => send(res, 200, registry.contentType, text),
          () => send(res, 500, 'text/plain', 'metrics collection failed\n'),
        );
        return;
      }
      default:
        return send(res, 404, 'text/plain', 'not found: try /healthz, /readyz, /metrics or /status\n');
    }
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Binds a server; a seam so tests can make a bind fail as a host without IPv6 does. */
export type Bind = (server: http.Server, port: number, host: string) => Promise<void>;

export const bind: Bind = (server, port, host) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

/** Codes for "this host has no IPv6" when binding `::`. */
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL']);

/**
 * Listen on `host`; when that is the dual-stack `::` and the host has IPv6
 * disabled, on `0.0.0.0` instead, with a log line saying so.
 */
export async function listenAdmin(server: http.Server, port: number, host: string, log: Logger, listen: Bind = bind): Promise<void> {
  try {
    await listen(server, port, host);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (host !== '::' || !NO_IPV6.has(code)) throw err;
    log.warn({ code }, `admin port: cannot listen on :: (${code}: IPv6 is disabled here); listening on 0.0.0.0 (IPv4 only) instead`);
    await listen(server, port, '0.0.0.0');
  }
}
