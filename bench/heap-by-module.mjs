// What an idle proxy holds, and who holds it (issue #11, "Memory"). Starts the
// fake upstream, the load client and one proxy (the real sidecar on the bench
// route, or the bare forwarder), gives it the light warm-up run.mjs gives
// before its openStreams phase (0.5 s of requests at 200/s, 0.3 s of 10
// streams), lets it settle, and reports:
//   - its RSS, split by mapping (lib/smaps.mjs: node's binary, V8's heap pages,
//     malloc's arenas, …), idle and, with --streams N, with N open streams;
//   - V8's own heap figures (the sidecar's /metrics);
//   - a heap snapshot (--heapsnapshot-signal) attributed to modules and
//     packages (lib/heap-snapshot.mjs): source text, compiled code, closures,
//     objects by constructor, and what those alone keep alive.
// Medians of --reps starts; the snapshot is taken in one more start (idle, or with
// the streams open with --snapshot-streams). Idle measurements: no bench lock needed, but with --streams the
// load client works for a few seconds.
//
//   npm run build && node bench/heap-by-module.mjs [--target sidecar|bare] [--reps 3]
//     [--node-options='--max-semi-space-size=2'] [--env MALLOC_ARENA_MAX=1] [--streams 1000]
//     [--snapshot-streams] [--settle-ms 2000] [--no-snapshot] [--keep-snapshot FILE]
//     [--out bench/results/heap-idle-COMMIT.md]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { contestants, requestBody, BENCH_DIR, REPO_DIR, SIDECAR_MAIN } from './lib/contestants.mjs';
import { memory, rpc, startNode, stop, stopAll } from './lib/procs.mjs';
import { median } from './lib/stats.mjs';
import { GROUPS, rssBreakdown } from './lib/smaps.mjs';
import { attribute, CATEGORIES } from './lib/heap-snapshot.mjs';
import { residentByComponent } from './lib/binary-pages.mjs';

const { values: opt } = parseArgs({
  options: {
    target: { type: 'string', default: 'sidecar' },
    reps: { type: 'string', default: '3' },
    'node-options': { type: 'string', default: '--max-semi-space-size=2' },
    env: { type: 'string', multiple: true, default: [] },
    streams: { type: 'string', default: '0' },
    'settle-ms': { type: 'string', default: '2000' },
    'no-snapshot': { type: 'boolean', default: false },
    // Take the snapshot while the --streams are open (what a stream holds) instead of when idle.
    'snapshot-streams': { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
    'keep-snapshot': { type: 'string' },
    out: { type: 'string' },
  },
});
const REPS = Number(opt.reps);
const STREAMS = Number(opt.streams);
const SETTLE_MS = Number(opt['settle-ms']);
const env = Object.fromEntries(opt.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const nodeFlags = opt['node-options'].split(/\s+/).filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes) => bytes / 1048576;
const f1 = (x) => x.toFixed(1);

const upstreamProc = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
const { port: upPort } = await upstreamProc.message('ready');
const upstream = `http://127.0.0.1:${upPort}`;
const upRpc = (m) => new Promise((resolve) => {
  upstreamProc.child.once('message', resolve);
  upstreamProc.child.send(m);
});
const clientProc = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
await clientProc.message('ready');
const client = rpc(clientProc);
const snapDir = mkdtempSync(join(tmpdir(), 'bellwether-heap-'));

/** V8's heap figures from the sidecar's /metrics (prom-client's process metrics), MiB. */
async function v8Heap(c) {
  if (!c.adminURL) return undefined;
  const text = await (await fetch(`${c.adminURL}/metrics`)).text();
  const value = (name) => mib(Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN));
  return { total: value('nodejs_heap_size_total_bytes'), used: value('nodejs_heap_size_used_bytes'), external: value('nodejs_external_memory_bytes') };
}

async function oneRun(snapshot) {
  const flags = [...nodeFlags, '--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`];
  const c = await contestants[opt.target].start({ upstream, nodeFlags: flags, env });
  const jsonBody = requestBody();
  const sseBody = requestBody({ stream: true });
  await upRpc({ type: 'config', config: { latencyMs: 0, chunks: 5, intervalMs: 5 } });
  await client('paced', { url: c.url, headers: c.headers, body: jsonBody, rate: 200, durationMs: 500, warmupMs: 0 });
  await client('streams', { url: c.url, headers: c.headers, body: sseBody, concurrency: 10, durationMs: 300, warmupMs: 0 });
  await sleep(SETTLE_MS);
  const idle = { ...rssBreakdown(c.pid), rssMiB: memory(c.pid).rssMiB, heap: await v8Heap(c), binary: binaryPages(c.pid) };
  let open;
  if (STREAMS > 0 && !(snapshot && !opt['snapshot-streams'])) {
    await upRpc({ type: 'config', config: { chunks: 600, intervalMs: 1000 } });
    const opened = await client('openStreams', { url: c.url, headers: c.headers, body: sseBody, n: STREAMS });
    let best = { rssMiB: 0 };
    for (let i = 0; i < 6; i++) {
      const now = { ...rssBreakdown(c.pid), rssMiB: memory(c.pid).rssMiB };
      if (now.rssMiB > best.rssMiB) best = now;
      await sleep(200);
    }
    open = { ...best, opened: opened.opened, heap: await v8Heap(c) };
    if (snapshot && opt['snapshot-streams']) open.attribution = await takeSnapshot(c.pid);
    await client('closeStreams');
    await upRpc({ type: 'cutStreams' });
  }
  const attribution = snapshot && !opt['snapshot-streams'] ? await takeSnapshot(c.pid) : open?.attribution;
  await stop(c.entry);
  return { idle, open, attribution };
}

/** The node binary's resident pages by component, or undefined where pagemap or nm is not available. */
function binaryPages(pid) {
  try {
    return residentByComponent(pid);
  } catch (err) {
    console.error(`binary pages: ${err.message.split('\n')[0]}`);
    return undefined;
  }
}

async function takeSnapshot(pid) {
  process.kill(pid, 'SIGUSR2');
  return readSnapshot();
}

/** Waits for the snapshot file to be complete (it ends with the strings array), parses and attributes it. */
async function readSnapshot() {
  for (let i = 0; i < 300; i++) {
    await sleep(200);
    const file = readdirSync(snapDir).find((f) => f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const text = readFileSync(join(snapDir, file), 'utf8');
    if (!text.trimEnd().endsWith(']}')) continue;
    if (opt['keep-snapshot']) writeFileSync(opt['keep-snapshot'], text);
    rmSync(join(snapDir, file));
    return attribute(JSON.parse(text));
  }
  throw new Error('no heap snapshot after 60 s');
}

function breakdownTable(label, runs) {
  const rows = GROUPS.map((g) => [g, median(runs.map((r) => r.groups[g]))]).filter(([, v]) => v >= 0.05);
  const lines = [`| ${label} | MiB (median of ${runs.length}) |`, '| --- | ---: |'];
  for (const [g, v] of rows) lines.push(`| ${g} | ${f1(v)} |`);
  lines.push(`| **RSS** (VmRSS; runs: ${runs.map((r) => f1(r.rssMiB)).join(', ')}) | **${f1(median(runs.map((r) => r.rssMiB)))}** |`);
  return lines.join('\n');
}

function attributionTable(a, top) {
  const owners = [...a.owners].sort((x, y) => y[1].total - x[1].total);
  const head = `| owner | total | ${CATEGORIES.join(' | ')} |`;
  const lines = [head, `| --- | ${['---:', ...CATEGORIES.map(() => '---:')].join(' | ')} |`];
  const cell = (b) => (b >= 5 * 1024 ? (mib(b)).toFixed(2) : '·');
  const shown = owners.slice(0, top);
  for (const [o, row] of shown) lines.push(`| ${o} | ${cell(row.total)} | ${CATEGORIES.map((c) => cell(row[c])).join(' | ')} |`);
  const rest = owners.slice(top).reduce((s, [, row]) => s + row.total, 0);
  if (rest > 0) lines.push(`| ${owners.length - top} more owners | ${cell(rest)} | ${CATEGORIES.map(() => '').join(' | ')} |`);
  const un = [...a.unattributed].sort((x, y) => y[1] - x[1]);
  lines.push(`| (unattributed: node's startup heap, builtins, shared) | ${cell(un.reduce((s, [, b]) => s + b, 0))} | ${un.slice(0, 5).map(([t, b]) => `${t} ${cell(b)}`).join(', ')} |  |  |  |  |`);
  lines.push(`| **heap snapshot total** | **${cell(a.totalBytes)}** |  |  |  |  |  |`);
  return lines.join('\n');
}

try {
  const runs = [];
  for (let i = 0; i < REPS; i++) {
    runs.push(await oneRun(false));
    console.error(`run ${i + 1}/${REPS}: idle ${f1(runs[i].idle.rssMiB)} MiB${runs[i].open ? `, ${runs[i].open.opened} streams ${f1(runs[i].open.rssMiB)} MiB` : ''}`);
  }
  // The snapshot from a run of its own: writing one takes memory, and an idle one taken
  // after the streams would show what closing them left behind rather than the idle heap.
  const snapshotRun = opt['no-snapshot'] ? undefined : await oneRun(true);
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', REPO_DIR, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    if (execFileSync('git', ['-C', REPO_DIR, 'status', '--porcelain', 'sidecar'], { encoding: 'utf8' }).trim()) commit += ' + uncommitted changes in sidecar/';
  } catch { /* not a checkout */ }
  const target = opt.target === 'sidecar' ? `the sidecar (${SIDECAR_MAIN.replace(`${REPO_DIR}/`, '')}) on the bench route` : `contestant \`${opt.target}\``;
  const out = [
    `# What an idle proxy holds: ${opt.target}`,
    '',
    `${new Date().toISOString()}, bellwether ${commit}; Node ${process.version}; ${target};`,
    `node flags \`${nodeFlags.join(' ') || '(none)'}\`${Object.keys(env).length ? `, env \`${opt.env.join(' ')}\`` : ''}; the light warm-up of run.mjs, then ${SETTLE_MS} ms idle.`,
    `\`node bench/heap-by-module.mjs ${process.argv.slice(2).join(' ')}\``,
    '',
    '## Resident memory by mapping',
    '',
    breakdownTable('idle', runs.map((r) => r.idle)),
  ];
  const heaps = runs.map((r) => r.idle.heap).filter(Boolean);
  if (heaps.length) {
    out.push('', `V8 heap (idle, /metrics): ${f1(median(heaps.map((h) => h.total)))} MiB committed, ${f1(median(heaps.map((h) => h.used)))} MiB used; external ${f1(median(heaps.map((h) => h.external)))} MiB.`);
  }
  const binaries = runs.map((r) => r.idle.binary).filter(Boolean);
  if (binaries.length) {
    const keys = [...new Set(binaries.flatMap((b) => [...b.totals.keys()]))];
    const rows = keys.map((k) => [k, median(binaries.map((b) => mib(b.totals.get(k) ?? 0)))]).filter(([, v]) => v >= 0.1).sort((x, y) => y[1] - x[1]);
    out.push('', `The node binary's resident pages by what they hold (lib/binary-pages.mjs; MiB, median of ${binaries.length}):`, '', '| component | MiB |', '| --- | ---: |');
    for (const [k, v] of rows) out.push(`| ${k} | ${f1(v)} |`);
    out.push(`| **resident pages of the binary** | **${f1(median(binaries.map((b) => mib(b.resident))))}** |`);
  }
  if (STREAMS > 0) {
    const open = runs.map((r) => r.open);
    out.push('', breakdownTable(`with ${STREAMS} open streams`, open));
    const per = median(runs.map((r) => ((r.open.rssMiB - r.idle.rssMiB) * 1024) / STREAMS));
    out.push('', `Per open stream: ${per.toFixed(1)} KiB of RSS (streams − idle, median of runs).`);
  }
  const last = snapshotRun?.attribution;
  if (last) {
    out.push('', `## JS heap by owner (heap snapshot from one more run${opt['snapshot-streams'] ? `, ${STREAMS} streams open` : ', idle'}, MiB)`, '', 'Categories: see bench/lib/heap-snapshot.mjs. `·` is under 5 KiB.', '', attributionTable(last, Number(opt.top)));
  }
  const text = `${out.join('\n')}\n`;
  if (opt.out) writeFileSync(opt.out, text);
  process.stdout.write(text);
} finally {
  await stopAll();
  rmSync(snapDir, { recursive: true, force: true });
}
