// GC pauses of a proxy under a paced load (node --trace-gc on the proxy):
//   node experiments/gc.mjs TARGET [RATE|streams] [SECONDS]
import { join } from 'node:path';
import { startNode, rpc, stop, stopAll, killAllNow } from '../lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR } from '../lib/contestants.mjs';

process.on('exit', killAllNow);
const [target = 'sidecar', rate = '1000', secs = '6'] = process.argv.slice(2);
const up = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
const { port } = await up.message('ready');
const setUpstream = (config) => new Promise((r) => { up.child.once('message', r); up.child.send({ type: 'config', config }); });
const cl = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
await cl.message('ready');
const client = rpc(cl);
const lines = [];
const c = await contestants[target].start({ upstream: `http://127.0.0.1:${port}`, nodeFlags: ['--trace-gc'] });
c.entry.child.stdout.on('data', (d) => lines.push(String(d)));
await setUpstream({ latencyMs: 0 });
await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: 1 });
await setUpstream({ latencyMs: 10 });
const from = lines.length;
if (rate === 'streams') await setUpstream({ latencyMs: 0, chunks: 20, intervalMs: 20 });
const r = rate === 'streams'
  ? await client('streams', { url: c.url, headers: c.headers, body: requestBody({ stream: true }), concurrency: 100, durationMs: Number(secs) * 1000, warmupMs: 0 })
  : await client('paced', { url: c.url, headers: c.headers, body: requestBody(), rate: Number(rate), durationMs: Number(secs) * 1000, warmupMs: 0 });
const gc = lines.slice(from).join('\n').split('\n').filter((l) => /Scavenge|Mark-Compact|Mark-sweep/i.test(l));
const pauses = gc.map((l) => ({ kind: /Scavenge/.test(l) ? 'scavenge' : 'mark-compact', ms: Number(/, ([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? /([\d.]+) \/ [\d.]+ ms/.exec(l)?.[1] ?? 'NaN') }));
for (const kind of ['scavenge', 'mark-compact']) {
  const p = pauses.filter((x) => x.kind === kind).map((x) => x.ms).sort((a, b) => a - b);
  console.log(`${target} ${kind}: ${p.length} in ${secs} s, median ${p[p.length >> 1] ?? '-'} ms, max ${p.at(-1) ?? '-'} ms, total ${p.reduce((a, b) => a + b, 0).toFixed(1)} ms`);
}
console.log(rate === 'streams' ? `ttfb ${JSON.stringify(r.ttfbMs)} chunk ${JSON.stringify(r.chunkDelayMs ?? r.chunkMs)}` : `p50 ${r.latencyMs?.p50} p99 ${r.latencyMs?.p99}`);
console.log(gc.slice(0, 3).join('\n'));
await stop(c.entry, 5000);
await stopAll();
process.exit(0);
