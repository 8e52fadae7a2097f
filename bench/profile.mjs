// CPU profile of a proxy under load: runs it against the fake upstream, drives
// one kind of load, and prints where the time went: self time by function,
// inclusive time of the proxy's own functions, and time by package.
//   node profile.mjs [--target sidecar|bare|bare-buffered|sidecar-semi2] [--load max|paced|streams] [--seconds N] [--sampler perf|v8] [--out FILE.md]
// --sampler perf (the default where `perf record` works): on-CPU samples of all
// the proxy's threads, see lib/perf-profile.mjs. --sampler v8: `node --cpu-prof`,
// wall-clock samples of the main thread; on this machine it charges the JS
// before each syscall to the syscall (lib/perf-profile.mjs says why), so use it
// for flame charts, not for "how many µs does X cost". Raw profiles are left in
// bench/.tmp/prof/; the summary goes to results/profile-<target>-<load>.md
// (…-v8.md for --sampler v8).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNode, rpc, stop, stopAll, killAllNow } from './lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR, REPO_DIR, TMP_DIR } from './lib/contestants.mjs';
import { PERF_NODE_FLAGS, perfWorks, startPerf, perfScript, analyzePerf } from './lib/perf-profile.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const target = opt('target', 'sidecar');
const load = opt('load', 'max');
const seconds = Number(opt('seconds', '8'));
const sampler = opt('sampler', perfWorks() ? 'perf' : 'v8');
const profDir = join(TMP_DIR, 'prof', opt('out', '').replace(/^.*\/|\.md$/g, '') || `${target}-${load}-${sampler}`);

process.on('exit', killAllNow);
process.on('SIGINT', () => stopAll().then(() => process.exit(130)));

function shortURL(url) {
  if (!url) return '';
  return url
    .replace(`file://${REPO_DIR}/`, '')
    .replace(/^file:\/\/.*\/node_modules\//, 'node_modules/')
    .replace(/^node:/, 'node:');
}

function packageOf(url) {
  if (!url) return '(native / vm)';
  const s = shortURL(url);
  if (s.startsWith('node:')) return 'node core';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s);
  if (m) return m[1];
  if (s.startsWith('dist/')) return `bellwether ${s.split('/').slice(0, 3).join('/')}`;
  if (s.startsWith('bench/')) return 'bench';
  return s;
}

/**
 * Self and inclusive time per function, and self time per package, from a
 * .cpuprofile, counting only samples taken between fromUs and toUs (V8's
 * profile clock is CLOCK_MONOTONIC in µs, the same as process.hrtime here).
 */
export function analyze(profile, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'} ${shortURL(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const inclusive = new Map();
  const byPackage = new Map();
  let total = 0;
  const { samples, timeDeltas } = profile;
  let ts = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    ts += timeDeltas[i];
    if (ts < fromUs || ts > toUs) continue;
    const dt = (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000; // ms until the next sample
    const leaf = nodes.get(samples[i]);
    total += dt;
    const k = key(leaf);
    self.set(k, (self.get(k) ?? 0) + dt);
    const pkg = ['(idle)', '(program)', '(garbage collector)'].includes(leaf.callFrame.functionName)
      ? leaf.callFrame.functionName
      : packageOf(leaf.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const kk = key(nodes.get(id));
      if (!seen.has(kk)) {
        seen.add(kk);
        inclusive.set(kk, (inclusive.get(kk) ?? 0) + dt);
      }
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const idle = self.get('(idle) ') ?? 0;
  return { totalMs: total, busyMs: total - idle, self: sorted(self), inclusive: sorted(inclusive), byPackage: sorted(byPackage) };
}

function render(a, { title, requests, sampler }) {
  const pct = (ms) => `${((ms / a.busyMs) * 100).toFixed(1)}%`;
  const us = (ms) => (requests ? `${((ms * 1000) / requests).toFixed(1)}` : '—');
  const lines = [`# ${title}`, ''];
  if (sampler === 'perf') {
    lines.push(`CPU time sampled during the load ${a.totalMs.toFixed(0)} ms over ${requests ?? '?'} requests/streams` +
      `${requests ? ` = ${us(a.totalMs)} µs each (main thread ${us(a.threads.main)}, other threads ${us(a.threads.other)})` : ''}. ` +
      '"share" is of all sampled CPU. Kernel time is grouped by syscall, GC and JIT compilation by stack (any thread). ' +
      'perf at 2 kHz costs a few % of throughput; the µs are close to, not equal to, an unprofiled run\'s.', '');
  } else {
    lines.push(`Main-thread busy time during the load ${a.busyMs.toFixed(0)} ms (of ${a.totalMs.toFixed(0)} ms) over ${requests ?? '?'} requests/streams` +
      `${requests ? ` = ${us(a.busyMs)} µs each` : ''}. Wall-clock samples: on this machine the JS run just before a syscall is charged to ` +
      'that syscall\'s binding (`writev`, `read` under "(idle)"); see lib/perf-profile.mjs. Use for flame charts, not for µs.', '');
  }
  lines.push('## Self time by package', '', '| package | ms | share of busy | µs per request |', '| --- | ---: | ---: | ---: |');
  for (const [k, v] of a.byPackage.filter(([k]) => k !== '(idle)').slice(0, 15)) lines.push(`| ${k} | ${v.toFixed(0)} | ${pct(v)} | ${us(v)} |`);
  lines.push('', '## Top functions by self time', '', '| function | ms | share of busy | µs per request |', '| --- | ---: | ---: | ---: |');
  for (const [k, v] of a.self.filter(([k]) => !k.startsWith('(idle)')).slice(0, 30)) lines.push(`| \`${k}\` | ${v.toFixed(0)} | ${pct(v)} | ${us(v)} |`);
  if (a.byJsFunction) {
    lines.push('', '## JS functions by self time, with the builtins, ICs, V8 runtime and native helpers they call', '',
      'Each sample goes to the innermost JS function on its stack (kernel, GC and JIT time stay apart): what each function costs to run, callees in JS excluded.', '',
      '| function | ms | share | µs per request |', '| --- | ---: | ---: | ---: |');
    for (const [k, v] of a.byJsFunction.slice(0, 30)) lines.push(`| \`${k}\` | ${v.toFixed(0)} | ${pct(v)} | ${us(v)} |`);
  }
  lines.push('', '## The proxy\'s own functions by inclusive time (self + callees)', '', '| function | ms | share of busy | µs per request |', '| --- | ---: | ---: | ---: |');
  const own = a.inclusive.filter(([k]) => / (dist\/|bench\/)/.test(k));
  for (const [k, v] of own.slice(0, 30)) lines.push(`| \`${k}\` | ${v.toFixed(0)} | ${pct(v)} | ${us(v)} |`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const up = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
  const { port } = await up.message('ready');
  const upstream = `http://127.0.0.1:${port}`;
  const setUpstream = (config) => new Promise((r) => { up.child.once('message', r); up.child.send({ type: 'config', config }); });
  const cl = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
  await cl.message('ready');
  const client = rpc(cl);

  const nodeFlags = sampler === 'perf' ? PERF_NODE_FLAGS : ['--cpu-prof', '--cpu-prof-dir', profDir];
  const def = contestants[target];
  if (!def || target === 'direct' || target === 'portkey') throw new Error(`--target ${target}: profile supports the proxies: bare, bare-buffered, sidecar, sidecar-semi2`);
  if (def.available && !def.available()) throw new Error(`--target ${target}: not built (npm run build at the repository root)`);
  const c = await def.start({ upstream, nodeFlags });
  // Warm-up, not profiled (as in run.mjs): JIT, connection pools.
  await setUpstream({ latencyMs: 0, chunks: 20, intervalMs: 5 });
  await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: 3 });
  await client('streams', { url: c.url, headers: c.headers, body: requestBody({ stream: true }), concurrency: 100, durationMs: 2000, warmupMs: 0 });
  const perfFile = join(profDir, 'perf.data');
  const perf = sampler === 'perf' ? startPerf(c.pid, perfFile) : null;
  if (perf) await new Promise((r) => setTimeout(r, 300)); // perf attached

  let requests;
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  if (load === 'max') {
    await setUpstream({ latencyMs: 0 });
    const r = await client('max', { url: c.url, headers: c.headers, body: requestBody(), connections: 64, durationSec: seconds });
    requests = r.requests;
  } else if (load === 'paced') {
    await setUpstream({ latencyMs: 10 });
    const r = await client('paced', { url: c.url, headers: c.headers, body: requestBody(), rate: 1000, durationMs: seconds * 1000, warmupMs: 0 });
    requests = r.completedAll;
  } else if (load === 'streams') {
    await setUpstream({ chunks: 20, intervalMs: 20 });
    const r = await client('streams', { url: c.url, headers: c.headers, body: requestBody({ stream: true }), concurrency: 100, durationMs: seconds * 1000, warmupMs: 0 });
    requests = r.streamsCompleted + r.streamsFailed;
  }
  const toUs = Number(process.hrtime.bigint() / 1000n);
  await perf?.stop();
  await stop(c.entry, 10_000);
  await stopAll();

  let a;
  let file = perfFile;
  if (perf) {
    a = analyzePerf(perfScript(perfFile, c.pid), { mainTid: c.pid, repoDir: REPO_DIR });
  } else {
    file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${profDir} (did the process exit cleanly on SIGTERM?)`);
    a = analyze(JSON.parse(readFileSync(join(profDir, file), 'utf8')), { fromUs, toUs });
  }
  const md = render(a, { title: `CPU profile: ${target}, ${load} load, ${seconds} s, ${sampler === 'perf' ? 'perf (on-CPU, all threads)' : 'node --cpu-prof (main thread, wall clock)'}`, requests, sampler });
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  const out = opt('out', join(BENCH_DIR, 'results', `profile-${target}-${load}${sampler === 'v8' ? '-v8' : ''}.md`));
  writeFileSync(out, md);
  writeFileSync(join(profDir, 'summary.json'), JSON.stringify({ requests, ...a }));
  console.log(md);
  console.log(`profile: ${perf ? perfFile : join(profDir, file)}\nsummary: ${out}`);
}

main().then(() => process.exit(0), async (err) => {
  console.error(err.stack);
  await stopAll();
  process.exit(1);
});
