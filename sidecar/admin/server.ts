/**
 * The admin server on :14001: `/healthz` (the process is up), `/readyz` (a
 * route is loaded and the app port is listening), `/metrics` (Prometheus),
 * `/status` (JSON, see status.ts). Read-only; nothing here takes input.
 */
import http from 'node:http';
import type { Runtime } from '../runtime.js';
import type { ConfigHealth } from '../config/source.js';
import { statusDocument } from './status.js';

export interface AdminState {
  runtime: () => Runtime;
  health: () => ConfigHealth;
  ready: () => boolean;
}

export function createAdminServer(state: AdminState): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      case '/readyz':
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
