// Where a proxy allocates: V8's sampling heap profiler (--heap-prof) under max load,
// allocations attributed to the function that made them (self) and to the proxy's
// own functions (inclusive), in bytes per request.
//   node experiments/alloc.mjs TARGET [SECONDS] [max|streams]
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startNode, rpc, stop, stopAll, killAllNow } from '../lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR, TMP_DIR } from '../lib/contestants.mjs';

process.on('exit', killAllNow);
const target = process.argv[2] ?? 'sidecar';
const secs = Number(process.argv[3] ?? 4);
const load = process.argv[4] ?? 'max';
const dir = join(TMP_DIR, 'heapprof', target);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const up = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
const { port } = await up.message('ready');
const cl = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
await cl.message('ready');
const client = rpc(cl);
const out = join(dir, 'alloc.json');
process.env.ALLOC_PROFILE = out;
const c = await contestants[target].start({ upstream: `http://127.0.0.1:${port}`, nodeFlags: ['--import', join(BENCH_DIR, 'experiments', 'alloc-sampler.mjs')] });
await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: 1 });
process.kill(c.pid, 'SIGUSR1');
await new Promise((r) => setTimeout(r, 200));
const r = load === 'streams'
  ? await client('streams', { url: c.url, headers: c.headers, body: requestBody({ stream: true }), concurrency: 100, durationMs: secs * 1000, warmupMs: 0 }).then((x) => ({ requests: x.streamsCompleted + x.streamsFailed }))
  : await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: secs });
process.kill(c.pid, 'SIGUSR2');
await new Promise((r) => setTimeout(r, 1500));
await stop(c.entry, 10_000);
await stopAll();
const prof = JSON.parse(readFileSync(out, 'utf8'));
// Each sample: size at node id; sum self size per node, then aggregate by function key.
const self = new Map();
const incl = new Map();
const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
let total = 0;
(function walk(n, stack) {
  const k = key(n);
  const own = n.selfSize;
  total += own;
  self.set(k, (self.get(k) ?? 0) + own);
  const st = stack.includes(k) ? stack : [...stack, k];
  for (const s of st) incl.set(s, (incl.get(s) ?? 0) + own);
  for (const ch of n.children) walk(ch, st);
})(prof.head, []);
const per = (b) => (b / r.requests).toFixed(0);
console.log(`${target}: ${r.requests} requests, sampled ${(total / 2 ** 20).toFixed(1)} MiB = ${per(total)} B/request`);
console.log('self:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${per(v).padStart(6)}  ${k}`);
console.log('inclusive (dist/):');
for (const [k, v] of [...incl].filter(([k]) => k.includes('dist/')).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${per(v).padStart(6)}  ${k}`);
process.exit(0);
