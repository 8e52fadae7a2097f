// Syscalls per request of a proxy under a fixed number of requests (strace -c):
//   node experiments/syscalls.mjs TARGET [N]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startNode, rpc, stop, stopAll, killAllNow } from '../lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR } from '../lib/contestants.mjs';

process.on('exit', killAllNow);
const target = process.argv[2] ?? 'sidecar';
const secs = Number(process.argv[3] ?? 3);
const up = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
const { port } = await up.message('ready');
const cl = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
await cl.message('ready');
const client = rpc(cl);
const c = await contestants[target].start({ upstream: `http://127.0.0.1:${port}`, nodeFlags: [] });
await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: 2 });
const st = spawn('strace', ['-c', '-f', '-p', String(c.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
let out = '';
st.stderr.on('data', (d) => { out += d; });
await new Promise((r) => setTimeout(r, 500));
const r = await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: secs });
st.kill('SIGINT');
await new Promise((r) => st.once('close', r));
console.log(`${target}: ${r.requests} requests`);
for (const line of out.split('\n')) {
  const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
  if (m && Number(m[1]) / r.requests > 0.05) console.log(`  ${m[2].padEnd(14)} ${(Number(m[1]) / r.requests).toFixed(2)} per request`);
}
await stop(c.entry, 5000);
await stopAll();
process.exit(0);
