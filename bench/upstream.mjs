// The fake OpenAI-compatible upstream every contestant forwards to.
//
// Any POST path that ends in /chat/completions answers:
//   - JSON: a chat.completion with usage, after `latencyMs`;
//   - SSE (`"stream": true`): `chunks` chat.completion.chunk events, the first at
//     once and then one every `intervalMs`, a usage chunk when the request asked
//     for `stream_options.include_usage`, then `data: [DONE]`.
// Each SSE chunk carries, as its delta content, the CLOCK_MONOTONIC time in
// nanoseconds at which it was written ("t<ns>"), so the client on the same
// machine can measure how long a chunk took to reach it through a proxy.
//
// Behaviour is set by the orchestrator over IPC ({type:'config', ...}) rather
// than by request fields, because proxies may drop fields or headers they do
// not know. Counts per path prefix (`/official`, `/relay`, other) are kept for
// sanity checks ({type:'counts'}), with the number of TCP connections accepted.
import http from 'node:http';

const config = { latencyMs: 10, chunks: 20, intervalMs: 20 };
const counts = {};
let open = 0;
let connections = 0;
const streaming = new Set(); // SSE responses in progress

const now = () => process.hrtime.bigint();

function chunkLine(model, content, finish) {
  const delta = content === null ? {} : { content };
  return `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"${model}","choices":[{"index":0,"delta":${JSON.stringify(delta)},"finish_reason":${finish ? '"stop"' : 'null'}}]}\n\n`;
}

const usage = '{"prompt_tokens":212,"completion_tokens":48,"total_tokens":260}';

function answerJSON(res, model) {
  const body = `{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"${model}","choices":[{"index":0,"message":{"role":"assistant","content":"Your order #4471 shipped yesterday and should arrive within two business days. You can track it from the Orders page."},"finish_reason":"stop"}],"usage":${usage}}`;
  const send = () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (config.latencyMs > 0) setTimeout(send, config.latencyMs);
  else send();
}

function answerSSE(req, res, model, includeUsage) {
  const { chunks, intervalMs } = config;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let sent = 0;
  let timer = null;
  const tick = () => {
    if (res.destroyed) return;
    if (sent < chunks) {
      res.write(chunkLine(model, `t${now()}`, false));
      sent++;
      timer = setTimeout(tick, intervalMs);
      return;
    }
    let tail = chunkLine(model, null, true);
    if (includeUsage) {
      tail += `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"${model}","choices":[],"usage":${usage}}\n\n`;
    }
    res.end(`${tail}data: [DONE]\n\n`);
  };
  streaming.add(res);
  res.on('close', () => {
    clearTimeout(timer);
    streaming.delete(res);
  });
  tick();
}

const server = http.createServer((req, res) => {
  const prefix = req.url.startsWith('/official/') ? 'official' : req.url.startsWith('/relay/') ? 'relay' : 'other';
  counts[prefix] = (counts[prefix] ?? 0) + 1;
  open++;
  res.on('close', () => open--);
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.split('?')[0].endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    const model = typeof body.model === 'string' ? body.model.replace(/[^\w.:-]/g, '') : 'unknown';
    if (body.stream) answerSSE(req, res, model, body.stream_options?.include_usage === true);
    else answerJSON(res, model);
  });
});
server.on('connection', () => connections++);
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.maxConnections = 20_000;

process.on('message', (m) => {
  if (m.type === 'config') {
    Object.assign(config, m.config);
    process.send({ type: 'config', config });
  } else if (m.type === 'cutStreams') {
    // End every stream still being sent: a proxy that did not pass its client's
    // abort on would otherwise leave them running into the next phases.
    const n = streaming.size;
    for (const res of streaming) res.destroy();
    process.send({ type: 'cutStreams', cut: n });
  } else if (m.type === 'counts') {
    process.send({ type: 'counts', counts: { ...counts }, open, connections });
  }
});
process.on('disconnect', () => process.exit(0));

const port = Number(process.argv[2] ?? 0);
server.listen(port, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
