/**
 * `/healthz` and `/readyz` on `--health-port`. Live while the process runs
 * its event loop; ready once every informer has listed (the caches hold the
 * cluster's state, so reconciles and the webhook decide on real data). A
 * replica that is not the leader is ready too: it serves the webhook.
 */
import { createServer, type Server } from 'node:http';

export async function serveHealth(opts: { port: number; host?: string; ready: () => boolean; live?: () => boolean }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    const answer = (ok: boolean, what: string) => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : `${what}\n`);
    };
    if (path === '/healthz' || path === '/livez') return answer(opts.live?.() ?? true, 'not live');
    if (path === '/readyz') return answer(opts.ready(), 'informers not synced');
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', resolve);
  });
  return server;
}
