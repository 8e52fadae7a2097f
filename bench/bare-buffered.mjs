// The bare forwarder made fallback-safe the way the sidecar is (docs/adr/0001):
// the upstream's reply is read whole before anything reaches the app, so an
// attempt could still be dropped and retried elsewhere. Same Pool and headers
// as bare.mjs; the reply goes through `request()`, the body's async iterator
// and a few promise hops, then one writeHead + end(buffer). SSE is relayed as it
// comes (the sidecar commits a stream at its first event). No features.
// Usage: node bare-buffered.mjs PORT UPSTREAM_ORIGIN
import http from 'node:http';
import { once } from 'node:events';
import { Pool } from 'undici';

const [port, origin] = [Number(process.argv[2] ?? 0), process.argv[3]];
const pool = new Pool(origin, { connections: 2048, pipelining: 1, keepAliveTimeout: 60_000 });
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);

async function forward(req, res, signal) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!hop.has(k)) headers[k] = v;
  const up = await pool.request({ method: req.method, path: req.url, headers, body: req, signal });
  const out = {};
  for (const [k, v] of Object.entries(up.headers)) if (!hop.has(k)) out[k] = v;
  if (out['content-type']?.startsWith('text/event-stream')) {
    // Streams are relayed as they come, as the sidecar does once the first event is in.
    res.writeHead(up.statusCode, out);
    for await (const chunk of up.body) if (!res.write(chunk)) await once(res, 'drain');
    res.end();
    return;
  }
  const parts = [];
  for await (const chunk of up.body) parts.push(chunk);
  const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  out['content-length'] = String(body.length);
  res.writeHead(up.statusCode, out);
  res.end(body);
}

const server = http.createServer((req, res) => {
  const ac = new AbortController();
  res.on('close', () => { if (!res.writableFinished) ac.abort(); });
  forward(req, res, ac.signal).catch(() => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"upstream failed","type":"bad_gateway","param":null,"code":null}}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0)); // a clean exit, so --cpu-prof writes its profile
