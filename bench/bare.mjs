// The floor: the least a Node proxy can do. Every request goes to one upstream
// through an undici Pool, the body streamed both ways, no parsing, no features.
// Usage: node bare.mjs PORT UPSTREAM_ORIGIN
import http from 'node:http';
import { Pool } from 'undici';

const [port, origin] = [Number(process.argv[2] ?? 0), process.argv[3]];
const pool = new Pool(origin, { connections: 2048, pipelining: 1, keepAliveTimeout: 60_000 });
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);

const server = http.createServer((req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!hop.has(k)) headers[k] = v;
  const ac = new AbortController();
  res.on('close', () => { if (!res.writableFinished) ac.abort(); });
  pool.stream(
    { method: req.method, path: req.url, headers, body: req, signal: ac.signal },
    ({ statusCode, headers: up }) => {
      for (const k of Object.keys(up)) if (hop.has(k)) delete up[k];
      res.writeHead(statusCode, up);
      if (up['content-type']?.startsWith('text/event-stream')) res.flushHeaders();
      return res;
    },
    (err) => {
      if (err && !res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"upstream failed","type":"bad_gateway","param":null,"code":null}}');
      } else if (err) res.destroy();
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0)); // a clean exit, so --cpu-prof writes its profile
