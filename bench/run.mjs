// The benchmark orchestrator. Starts the fake upstream, the load client and the
// contestants (each its own process group), runs the phases, reads every
// proxy's CPU time and memory from /proc around each run, and writes
// results/<mode>.json and results/<mode>.md. Usage:
//   node run.mjs --quick | --full | --smoke [--only direct,bare,sidecar,sidecar-a,sidecar-semi2,portkey]
//                [--phases openStreams,paced,max,streams,weight] [--reps N] [--budget SEC] [--out NAME]
// --out NAME writes results/NAME.{json,md} instead of results/<mode>.*; --out DIR/NAME writes there.
// --smoke: a few hundred requests per phase, no warm-ups, direct/bare/sidecar only (seconds):
//   proves the bench still runs (`make test` runs it); its figures mean nothing.
// --phases and --reps narrow a run for an A/B (sidecar-a = BENCH_SIDECAR_A_MAIN, another build).
// --rates 1000 runs only that fixed rate in the paced phase (default: the mode's, 200 and 1000).
// --crossover W: adds sidecar-x and sidecar-y (plain sidecars) to the paced phase; before each
//   paced run one of them is given `shadow: {weight: W}` by rewriting its route file (the other
//   none), swapping every six repetitions, so each instance is shadowed in half of them and an
//   instance's own speed cancels out; and sidecar-z, reloaded as often (a spec change the request
//   path does not feel) but never shadowed. shadow.mjs reads the pairs (on vs off; the headline
//   and Z vs the unshadowed instance: what identical sidecars with other pasts differ by).
// --pin: the load client, the fake upstream and this orchestrator on CPU 0, every proxy on CPU 1
//   (taskset, all threads): a proxy then shares its core only with other proxies, which run one
//   at a time, as a sidecar with its own CPU budget would (only on a machine with 2 or more CPUs).
// --reply-timing: every sidecar runs with reply-timing.mjs preloaded and the paced client numbers
//   its requests: each paced run then also records, inside the sidecar, upstream last byte → app
//   last byte with and without a shadow copy in flight. (Shadow contestants' paced runs always
//   record the copies judged and skipped, from /status.)
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { startNode, rpc, stopAll, killAllNow, leftovers, cpuSeconds, memory, resetPeak } from './lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR, REPO_DIR, SIDECAR_MAIN, SIDECAR_NODE_FLAGS, TMP_DIR } from './lib/contestants.mjs';
import { ReplyTimingProbe, shadowTotals, shadowDelta } from './lib/reply-timing-probe.mjs';
import { describeMachine, describeVersions, cpuJiffies, busyCores, neighbourCpu, neighbourCores, topNeighbours } from './lib/machine.mjs';
import { summarizeRun } from './lib/summary.mjs';
import { renderMarkdown } from './lib/report.mjs';

const MODES = {
  quick: {
    reps: 1, warmupSec: 1, rates: [200, 1000], pacedMs: 2000, maxSec: 2, maxConnections: 64,
    streamReps: 1, streamMs: 1500, streamConcurrency: 100, openStreams: 1000, flips: 4, inPlaceFlips: 2,
    quietWaitSec: 5, retrySec: 15, budgetSec: 150,
  },
  full: {
    reps: 5, warmupSec: 3, rates: [200, 1000], pacedMs: 4000, maxSec: 4, maxConnections: 64,
    streamReps: 3, streamMs: 2500, streamConcurrency: 100, openStreams: 1000, flips: 8, inPlaceFlips: 4,
    quietWaitSec: 30, retrySec: 120, budgetSec: 690,
  },
  smoke: {
    reps: 1, warmupSec: 0.3, rates: [200], pacedMs: 500, maxSec: 0.5, maxConnections: 8,
    streamReps: 1, streamMs: 400, streamConcurrency: 10, openStreams: 20, flips: 1, inPlaceFlips: 1,
    quietWaitSec: 0, retrySec: 0, budgetSec: 60,
  },
};
/** Neighbour CPU (cores) above which a run is repeated, and the time allowed for repeats. */
const NEIGHBOUR_LIMIT = 0.25;
const MAX_REPEATS = 2;
let retrySecLeft = 0;
let retries = 0;
const UPSTREAM = { jsonLatencyMs: 10, chunks: 20, chunkIntervalMs: 20, openChunkIntervalMs: 1000 };

const argv = process.argv.slice(2);
const mode = argv.includes('--full') ? 'full' : argv.includes('--smoke') ? 'smoke' : 'quick';
const flag = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const cfg = { ...MODES[mode] };
if (flag('--reps')) cfg.reps = cfg.streamReps = Number(flag('--reps'));
if (flag('--budget')) cfg.budgetSec = Number(flag('--budget'));
if (flag('--rates')) cfg.rates = flag('--rates').split(',').map(Number);
const replyTiming = argv.includes('--reply-timing');
const crossover = flag('--crossover') === undefined ? undefined : Number(flag('--crossover'));
const CROSSOVER = ['sidecar-x', 'sidecar-y', 'sidecar-z'];
const pin = argv.includes('--pin');
/** Pin a process (all its threads; threads it starts later inherit it) to one CPU. */
const pinTo = (pid, cpu) => { if (pin && pid) execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' }); };
const phases = flag('--phases')?.split(',') ?? ['openStreams', 'paced', 'max', 'streams', 'weight'];
const onlyArg = flag('--only');
const defaults = mode === 'smoke'
  ? ['direct', 'bare', 'sidecar']
  : Object.keys(contestants).filter((n) => !CROSSOVER.includes(n)).filter((n) => (n !== 'sidecar-a' || process.env.BENCH_SIDECAR_A_MAIN || process.env.BENCH_SIDECAR_A_ENV) && (!n.startsWith('sidecar-a-') || process.env.BENCH_SIDECAR_A_MAIN) && (n !== 'sidecar-c' || process.env.BENCH_SIDECAR_C_MAIN || process.env.BENCH_SIDECAR_C_ENV));
const wanted = [...new Set([...(onlyArg ? onlyArg.split(',') : defaults), ...(crossover === undefined ? [] : CROSSOVER)])];
const outName = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : mode;
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`, ...a);

const startedPids = [];
let shuttingDown = false;
async function shutdown(code, why) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (why) console.error(why);
  await stopAll();
  const left = leftovers(startedPids);
  if (left.length) {
    console.error(`process groups still alive after stop: ${left.join(', ')}; killing`);
    for (const pid of left) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130, 'interrupted'));
process.on('SIGTERM', () => shutdown(143, 'terminated'));
process.on('exit', killAllNow);
process.on('uncaughtException', (err) => shutdown(1, err.stack));
process.on('unhandledRejection', (err) => shutdown(1, err?.stack ?? String(err)));
const watchdog = setTimeout(() => shutdown(1, `over the ${cfg.budgetSec} s budget: stopped`), cfg.budgetSec * 1000);
watchdog.unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wait (up to maxSec) until other processes use less than 0.3 cores over a second. */
async function waitForQuiet(maxSec) {
  const end = Date.now() + maxSec * 1000;
  let busy;
  do {
    const a = cpuJiffies();
    await sleep(1000);
    busy = busyCores(a, cpuJiffies());
    if (busy < 0.3) return { quiet: true, busyCores: busy };
  } while (Date.now() < end);
  return { quiet: false, busyCores: busy };
}
const rotate = (list, k) => list.map((_, i) => list[(i + k) % list.length]);

async function main() {
  log(`bellwether bench, ${mode} mode`);
  retrySecLeft = cfg.retrySec;
  const quiet = await waitForQuiet(cfg.quietWaitSec);
  log(quiet.quiet ? `machine quiet (${quiet.busyCores.toFixed(2)} cores busy)` : `machine still busy after ${cfg.quietWaitSec} s (${quiet.busyCores.toFixed(2)} cores busy by other processes): figures will be noisier`);
  const machine = { ...describeMachine(), busyCoresBeforeStart: Math.round(quiet.busyCores * 100) / 100 };
  const versions = describeVersions(BENCH_DIR, REPO_DIR);

  // The fake upstream and the load client.
  const upstreamProc = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
  startedPids.push(upstreamProc.child.pid);
  const { port: upPort } = await upstreamProc.message('ready');
  pinTo(process.pid, 0);
  pinTo(upstreamProc.child.pid, 0);
  const upstream = `http://127.0.0.1:${upPort}`;
  const upRpc = (m) => new Promise((resolve) => {
    upstreamProc.child.once('message', resolve);
    upstreamProc.child.send(m);
  });
  const setUpstream = (config) => upRpc({ type: 'config', config });

  const clientProc = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
  startedPids.push(clientProc.child.pid);
  await clientProc.message('ready');
  pinTo(clientProc.child.pid, 0);
  const client = rpc(clientProc);

  // The contestants.
  const notes = [];
  const live = {};
  for (const name of wanted) {
    const def = contestants[name];
    if (def.available && !def.available()) {
      notes.push(`${name}: not run (${SIDECAR_MAIN} does not exist; run \`npm run build\` at the repository root)`);
      log(`skip ${name}: not built`);
      continue;
    }
    try {
      const probe = replyTiming && def.sidecar ? new ReplyTimingProbe(join(TMP_DIR, `reply-timing-${name}.json`)) : undefined;
      live[name] = await def.start({ upstream, ...(probe ? { nodeFlags: probe.nodeFlags, env: probe.env } : {}) });
      if (probe) live[name].probe = probe.attach(live[name].pid);
      if (live[name].pid) startedPids.push(live[name].pid);
      pinTo(live[name].pid, 1);
      log(`started ${name}${live[name].pid ? ` (pid ${live[name].pid})` : ''} → ${live[name].url}`);
    } catch (err) {
      notes.push(`${name}: failed to start: ${err.message.split('\n')[0]}`);
      log(`could not start ${name}: ${err.message}`);
    }
  }
  const names = Object.keys(live);
  const proxies = names.filter((n) => live[n].pid);
  const runsIn = (phase) => (n) => !contestants[n].phases || contestants[n].phases.includes(phase);
  const jsonBody = requestBody();
  const sseBody = requestBody({ stream: true });

  /** Run `fn` for contestant `name`, with its CPU time and the machine's busy cores around it. */
  const ours = () => [upstreamProc.child.pid, clientProc.child.pid, ...Object.values(live).map((c) => c.pid)];
  async function measuredOnce(name, fn) {
    const pid = live[name].pid;
    const [up, cl] = [upstreamProc.child.pid, clientProc.child.pid];
    const cpu0 = pid ? cpuSeconds(pid) : null;
    const [up0, cl0] = [cpuSeconds(up), cpuSeconds(cl)];
    const n0 = neighbourCpu(ours());
    const [j0, w0] = [cpuJiffies(), performance.now()];
    const result = await fn(live[name]);
    const [j1, wallSec] = [cpuJiffies(), (performance.now() - w0) / 1000];
    const cpuSec = pid ? cpuSeconds(pid) - cpu0 : null;
    const [upstreamCpuSec, clientCpuSec] = [cpuSeconds(up) - up0, cpuSeconds(cl) - cl0];
    const busy = busyCores(j0, j1);
    // Cores used by everything but the benchmark's processes (kernel work included),
    // and by other processes alone (neighbours on a shared machine).
    const otherCores = busy - ((cpuSec ?? 0) + upstreamCpuSec + clientCpuSec) / wallSec;
    const n1 = neighbourCpu(ours());
    const neighbours = neighbourCores(n0, n1, wallSec);
    const top = neighbours > NEIGHBOUR_LIMIT ? topNeighbours(n0, n1) : undefined;
    return { ...result, wallSec, cpuSec, upstreamCpuSec, clientCpuSec, busyCores: busy, otherCores, neighbourCores: neighbours, topNeighbours: top };
  }
  /**
   * One measured run; when neighbours took more than NEIGHBOUR_LIMIT cores during
   * it, run it again (while the retry allowance lasts) and keep the quietest try.
   */
  async function measured(name, fn) {
    let best = await measuredOnce(name, fn);
    let last = best;
    let tries = 1;
    while (last.neighbourCores > NEIGHBOUR_LIMIT && retrySecLeft > 0 && tries <= MAX_REPEATS) {
      retrySecLeft -= last.wallSec;
      retries++;
      log(`  ${name}: other processes used ${last.neighbourCores.toFixed(2)} cores during the run (${last.topNeighbours.map(([pid, comm, sec]) => `${comm}[${pid}] ${sec} s`).join(', ')}); running it again`);
      last = await measuredOnce(name, fn);
      tries++;
      if (last.neighbourCores < best.neighbourCores) best = last;
    }
    return { ...best, tries };
  }
  /** Move a run's raw samples into the pooled sets; keep the run record small. */
  const pool = (set, key, values) => {
    set[key] ??= [];
    for (const v of values) set[key].push(v);
  };

  const raw = { paced: {}, max: [], streams: [], openStreams: {}, weight: [], memory: {} };
  const samples = { paced: {}, ttfb: {}, chunk: {} };

  // 0. A light warm-up (a few hundred requests and streams), so that the memory
  //    figure below is that of a proxy that has served little else.
  await setUpstream({ latencyMs: 0, chunks: 5, intervalMs: 5 });
  for (const name of mode === 'smoke' ? [] : names) {
    const c = live[name];
    await client('paced', { url: c.url, headers: c.headers, body: jsonBody, rate: 200, durationMs: 500, warmupMs: 0 });
    await client('streams', { url: c.url, headers: c.headers, body: sseBody, concurrency: 10, durationMs: 300, warmupMs: 0 });
  }

  // 1. Memory with 1,000 open streams (one chunk a second; held, then aborted).
  await setUpstream({ chunks: 600, intervalMs: UPSTREAM.openChunkIntervalMs });
  for (const name of proxies.filter(runsIn('openStreams')).filter(() => phases.includes('openStreams'))) {
    const pid = live[name].pid;
    await sleep(300);
    const before = memory(pid);
    resetPeak(pid);
    const c = live[name];
    const opened = await client('openStreams', { url: c.url, headers: c.headers, body: sseBody, n: cfg.openStreams });
    let rssMiB = 0;
    for (let i = 0; i < 6; i++) {
      rssMiB = Math.max(rssMiB, memory(pid).rssMiB);
      await sleep(200);
    }
    const during = memory(pid);
    await client('closeStreams');
    // Did the proxy pass the app's going away on to the upstream? (DESIGN: it must abort it.)
    await sleep(1000);
    const { open: upstreamStillOpen } = await upRpc({ type: 'counts' });
    await upRpc({ type: 'cutStreams' });
    raw.openStreams[name] = { ...opened, rssBeforeMiB: before.rssMiB, rssOpenMiB: Math.max(rssMiB, during.rssMiB), hwmMiB: during.hwmMiB, upstreamStillOpenAfterAbort: upstreamStillOpen };
    log(`open streams ${name.padEnd(7)} opened ${opened.opened}/${opened.n} in ${opened.openMs.toFixed(0)} ms, RSS ${before.rssMiB.toFixed(1)} → ${raw.openStreams[name].rssOpenMiB.toFixed(1)} MiB (peak ${during.hwmMiB.toFixed(1)}); upstream streams still open 1 s after the client aborted: ${upstreamStillOpen}`);
  }
  await sleep(500);
  for (const name of proxies) resetPeak(live[name].pid); // the request-load peak below excludes the open streams

  // Warm-up under load: JIT, connection pools. Not recorded.
  await setUpstream({ latencyMs: 0 });
  for (const name of mode === 'smoke' ? [] : names) {
    const c = live[name];
    await client('max', { url: c.url, headers: c.headers, body: jsonBody, connections: cfg.maxConnections, durationSec: cfg.warmupSec });
  }
  log('warmed up');

  /**
   * The crossover's switch: rewrite the contestant's route file with or without spec.shadow (by
   * rename, as the operator's ConfigMap does), with limits.maxConcurrent 4095 and 4096 in turn so
   * that every write is a new spec and a real reload, wait until /status serves the new
   * generation, then send a second of traffic at the phase's rate that is not recorded.
   */
  async function setShadow(c, weight, rate) {
    const before = await (await fetch(`${c.adminURL}/status`)).json();
    c.flip = !c.flip;
    let text = c.routeFor.replace('__WEIGHT__', '50') + (weight > 0 ? `  shadow: {weight: ${weight}, maxConcurrent: 8}\n` : '');
    if (c.flip) text = text.replace('maxConcurrent: 4096}', 'maxConcurrent: 4095}');
    writeFileSync(`${c.routePath}.next`, text);
    renameSync(`${c.routePath}.next`, c.routePath);
    const end = Date.now() + 10_000;
    for (;;) {
      const now = await (await fetch(`${c.adminURL}/status`)).json();
      if (now.generation !== before.generation && (now.shadow !== null) === weight > 0) break;
      if (Date.now() > end) throw new Error(`the route with shadow weight ${weight} was not loaded within 10 s`);
      await sleep(50);
    }
    await client('paced', { url: c.url, headers: c.headers, body: jsonBody, rate, durationMs: 1000, warmupMs: 0 });
  }
  /**
   * The crossover's schedule. X is shadowed in repetitions 0–5, Y in 6–11, X in 12–17 …; within
   * each block of six the shadowed, unshadowed and reload-control instances run in each of their
   * six orders once, after the other contestants (rotated as usual). So over 12 repetitions each
   * instance is shadowed as often, and in every position as often as unshadowed.
   */
  const shadowedIn = (rep) => (Math.floor(rep / 6) % 2 === 0 ? 'sidecar-x' : 'sidecar-y');
  const ORDERS = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const order = (list, rep) => {
    if (crossover === undefined) return rotate(list, rep);
    const on = shadowedIn(rep);
    const block = [on, on === 'sidecar-x' ? 'sidecar-y' : 'sidecar-x', 'sidecar-z'];
    return [...rotate(list.filter((n) => !CROSSOVER.includes(n)), rep), ...ORDERS[rep % 6].map((i) => block[i]).filter((n) => list.includes(n))];
  };

  // 2. Added latency at fixed rates (open loop), upstream answers after 10 ms.
  await setUpstream({ latencyMs: UPSTREAM.jsonLatencyMs });
  for (const rate of phases.includes('paced') ? cfg.rates : []) {
    raw.paced[rate] = [];
    for (let rep = 0; rep < cfg.reps; rep++) {
      for (const name of order(names.filter(runsIn(`paced${rate}`)), rep)) {
        // The crossover: one of X and Y shadowed (shadowedIn), the other not; Z only reloaded.
        const crossed = crossover === undefined || !CROSSOVER.includes(name) ? undefined
          : name === 'sidecar-z' ? { reloadControl: true }
            : { shadowWeight: name === shadowedIn(rep) ? crossover : 0 };
        if (crossed) await setShadow(live[name], crossed.shadowWeight ?? 0, rate);
        const { samples: lat, ...r } = await measured(name, async (c) => {
          // Shadow contestants: the copies judged and skipped during the run, from /status.
          const shadowBefore = (name.includes('shadow') || crossed?.shadowWeight) && c.adminURL ? await shadowTotals(c.adminURL) : undefined;
          await c.probe?.start();
          const out = await client('paced', { url: c.url, headers: c.headers, body: jsonBody, rate, durationMs: cfg.pacedMs, seq: replyTiming });
          const probed = c.probe ? await c.probe.finish() : {};
          const shadow = shadowBefore ? shadowDelta(shadowBefore, await shadowTotals(c.adminURL)) : undefined;
          return { ...out, ...probed, ...(shadow ? { shadow } : {}) };
        });
        samples.paced[rate] ??= {};
        pool(samples.paced[rate], name, lat);
        raw.paced[rate].push({ rep, name, ...crossed, ...r });
        log(`paced ${rate}/s rep ${rep} ${name.padEnd(7)} p50 ${r.latencyMs.p50?.toFixed(3)} ms p99 ${r.latencyMs.p99?.toFixed(3)} ms` +
          ` done ${r.completed} skipped ${r.skipped} errors ${r.errors} cpu ${r.cpuSec?.toFixed(2) ?? '-'} s`);
      }
    }
  }

  // 3. Most requests per second at 64 connections (closed loop), upstream answers at once.
  await setUpstream({ latencyMs: 0 });
  for (let rep = 0; rep < (phases.includes('max') ? cfg.reps : 0); rep++) {
    for (const name of rotate(names.filter(runsIn('max')), rep)) {
      const r = await measured(name, (c) =>
        client('max', { url: c.url, headers: c.headers, body: jsonBody, connections: cfg.maxConnections, durationSec: cfg.maxSec }));
      raw.max.push({ rep, name, ...r });
      log(`max rep ${rep} ${name.padEnd(7)} ${r.rps.toFixed(0)} req/s non2xx ${r.non2xx} errors ${r.errors} cpu ${r.cpuSec?.toFixed(2) ?? '-'} s`);
    }
  }

  // 4. Streaming: 100 concurrent streams, 20 chunks 20 ms apart.
  await setUpstream({ chunks: UPSTREAM.chunks, intervalMs: UPSTREAM.chunkIntervalMs });
  for (let rep = 0; rep < (phases.includes('streams') ? cfg.streamReps : 0); rep++) {
    for (const name of rotate(names.filter(runsIn('streams')), rep)) {
      const { ttfbSamples, chunkSamples, ...r } = await measured(name, (c) =>
        client('streams', { url: c.url, headers: c.headers, body: sseBody, concurrency: cfg.streamConcurrency, durationMs: cfg.streamMs }));
      pool(samples.ttfb, name, ttfbSamples);
      pool(samples.chunk, name, chunkSamples);
      raw.streams.push({ rep, name, ...r });
      log(`streams rep ${rep} ${name.padEnd(7)} ttfb p50 ${r.ttfbMs.p50?.toFixed(3)} ms chunk p50 ${r.chunkDelayMs.p50?.toFixed(3)} ms` +
        ` p99 ${r.chunkDelayMs.p99?.toFixed(3)} ms streams ${r.streamsCompleted} failed ${r.streamsFailed}`);
    }
  }

  // Peak RSS under request load (VmHWM since the reset: warm-up, latency, throughput, streaming).
  for (const name of proxies) raw.memory[name] = memory(live[name].pid);

  await setUpstream({ chunks: UPSTREAM.chunks, intervalMs: UPSTREAM.chunkIntervalMs, latencyMs: 0 });

  // 5. Time for a weight change in the route file to take effect (sidecar only).
  if (live.sidecar && phases.includes('weight')) {
    const c = live.sidecar;
    for (const [writeMode, flips] of [['rename', cfg.flips], ['in-place', cfg.inPlaceFlips]]) {
      try {
        const r = await client('weightFlip', {
          routePath: c.routePath, routeFor: c.routeFor, url: c.url, headers: c.headers, body: jsonBody,
          adminURL: c.adminURL, flips, mode: writeMode === 'rename' ? 'rename' : 'inplace',
        });
        raw.weight.push({ ...r, mode: writeMode });
        log(`weight flips (${writeMode}): ${r.flips.map((f) => `${f.weight}% traffic ${f.trafficMs?.toFixed(0) ?? 'never'} ms status ${f.statusMs?.toFixed(0) ?? 'never'} ms`).join('; ')}`);
      } catch (err) {
        raw.weight.push({ mode: writeMode, error: err.message });
        log(`weight flips (${writeMode}) failed: ${err.message}`);
      }
    }
  }

  const upstreamCounts = await upRpc({ type: 'counts' });

  const method = {
    mode, ...cfg, upstream: UPSTREAM, pinned: pin, sidecarNodeFlags: SIDECAR_NODE_FLAGS,
    requestBytes: Buffer.byteLength(jsonBody),
    notes: [
      pin
        ? 'Pinned (--pin): the load client, the fake upstream and the orchestrator on CPU 0, the proxies on CPU 1. Direct has no proxy, so its client and upstream share CPU 0 while a proxy\'s run spreads them over two cores: a proxy\'s "added" latency can come out below zero; compare proxies with each other.'
        : 'All processes share the same 2 cores: the load client, the fake upstream and the proxy under test compete for CPU.',
      'Added latency = a proxy\'s percentile minus direct\'s percentile in the same repetition; the figure is the median over repetitions.',
      'Fixed-rate load is open loop (requests due at start + i/rate regardless of earlier answers), timed from dispatch to the last body byte, with µs resolution.',
      'Maximum throughput is autocannon, closed loop, 64 connections, upstream answering at once.',
      'CPU per request = (utime + stime of the proxy process, all threads, from /proc/PID/stat, 10 ms ticks) / requests completed in the run.',
      'Peak RSS = VmHWM from /proc/PID/status; open-stream RSS = highest VmRSS sampled while all streams are open.',
      'Per-chunk delay = arrival time at the client minus the CLOCK_MONOTONIC time the upstream embedded in the chunk when it wrote it.',
    ],
  };
  const summary = summarizeRun(raw, samples, names);
  const result = {
    meta: { date: new Date().toISOString(), mode, sidecarBuild: process.env.BENCH_SIDECAR_MAIN ?? null, durationSec: (Date.now() - t0) / 1000, machine, versions, method, repeatedRuns: retries, contestants: Object.fromEntries(names.map((n) => [n, contestants[n].label])), notes },
    summary,
    upstreamCounts,
    raw,
  };

  await shutdown0();
  const left = leftovers(startedPids);
  result.meta.processesLeftBehind = left.length;
  // --out NAME: results/NAME.*; --out /some/dir/NAME (a path): there.
  const base = outName.includes('/') ? outName : join(BENCH_DIR, 'results', outName);
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = renderMarkdown(result);
  writeFileSync(`${base}.md`, md);
  console.log(`\n${md}`);
  log(`wrote ${base}.json and ${base}.md; processes left behind: ${left.length}`);
  if (left.length) throw new Error(`process groups left behind: ${left.join(', ')}`);
}

async function shutdown0() {
  await stopAll();
  await sleep(100);
}

main().then(
  () => { clearTimeout(watchdog); process.exit(0); },
  (err) => shutdown(1, err.stack),
);
