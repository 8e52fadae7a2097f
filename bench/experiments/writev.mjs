// Why does the sidecar's CPU profile show ~40 µs per request in the native
// `writev` of its JSON reply when the bare forwarder's shows ~13? This runs
// proxies at max load (autocannon, 64 connections, upstream answering at once)
// and reads, per request:
//   - the wall time actually spent inside the native writev, timed around the
//     binding (writev-timer.mjs), split into the write to the app and the
//     write to the upstream;
//   - how many sleeping tasks the proxy woke and how many IPIs it sent
//     (`perf stat`, sched:sched_waking and ipi:ipi_send_cpu, when perf works);
//   - throughput, CPU per request (all threads), and the main thread's time on
//     the CPU and waiting on the run queue (/proc/PID/task/PID/schedstat).
// Targets: bare, bare-buffered (bare-buffered.mjs), sidecar, each
// optionally with `+burn=US` or `+burn=US@response`: a busy loop of US µs per
// request when it arrives or just before the reply is written (burn.mjs).
//   node experiments/writev.mjs [--targets bare,bare+burn=40,bare+burn=40@response,bare-buffered,sidecar]
//                               [--seconds 4] [--reps 2]
import { readFileSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startNode, rpc, stop, stopAll, killAllNow } from '../lib/procs.mjs';
import { contestants, requestBody, BENCH_DIR, TMP_DIR } from '../lib/contestants.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const targets = opt('targets', 'bare,bare+burn=40,bare+burn=40@response,bare-buffered,sidecar').split(',');
const seconds = Number(opt('seconds', '4'));
const reps = Number(opt('reps', '2'));
const here = join(BENCH_DIR, 'experiments');
const perfWorks = spawnSync('perf', ['stat', '-e', 'sched:sched_waking', '--', 'true'], { stdio: 'ignore' }).status === 0;
process.on('exit', killAllNow);

function mainThread(pid) {
  const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
  return { runNs, waitNs };
}
function cpuSec(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const up = startNode('upstream', [join(BENCH_DIR, 'upstream.mjs'), '0'], { ipc: true });
  const { port } = await up.message('ready');
  await new Promise((r) => { up.child.once('message', r); up.child.send({ type: 'config', config: { latencyMs: 0 } }); });
  const cl = startNode('client', [join(BENCH_DIR, 'client.mjs')], { ipc: true });
  await cl.message('ready');
  const client = rpc(cl);
  const body = requestBody();

  const live = {};
  for (const spec of targets) {
    const [name, burnSpec] = spec.split('+burn=');
    const [burnUs, burnAt = 'request'] = (burnSpec ?? '').split('@');
    const out = join(TMP_DIR, `writev-${spec.replace(/[^a-z0-9-]/gi, '_')}.json`);
    const flags = ['--import', join(here, 'writev-timer.mjs')];
    if (burnUs) flags.push('--import', join(here, 'burn.mjs'));
    Object.assign(process.env, { WRITEV_OUT: out, BURN_US: burnUs || '0', BURN_AT: burnAt });
    live[spec] = { ...(await contestants[name].start({ upstream: `http://127.0.0.1:${port}`, nodeFlags: flags })), out };
    await client('max', { url: live[spec].url, headers: live[spec].headers, body, connections: 64, durationSec: 2 }); // warm-up
  }
  const writevTotals = async (c) => {
    rmSync(c.out, { force: true });
    process.kill(c.pid, 'SIGUSR2');
    for (let i = 0; i < 50; i++) {
      await sleep(20);
      try { return JSON.parse(readFileSync(c.out, 'utf8')); } catch { /* not yet written */ }
    }
    throw new Error(`no writev totals from pid ${c.pid}`);
  };

  console.log('| target | req/s | CPU µs/req | main thread on CPU / waiting, µs/req | writev to app: µs/req (µs/call) | writev to upstream: µs/req | wakeups/req | IPIs/req |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let rep = 0; rep < reps; rep++) {
    for (const spec of targets) {
      const c = live[spec];
      const perf = perfWorks
        ? spawn('perf', ['stat', '-x', ',', '-e', 'sched:sched_waking,ipi:ipi_send_cpu', '-p', String(c.pid), '-o', join(TMP_DIR, 'writev-perf.csv'), '--', 'sleep', String(seconds - 1)], { stdio: 'ignore' })
        : null;
      const [w0, m0, p0] = [await writevTotals(c), mainThread(c.pid), cpuSec(c.pid)];
      const r = await client('max', { url: c.url, headers: c.headers, body, connections: 64, durationSec: seconds });
      const [w1, m1, p1] = [await writevTotals(c), mainThread(c.pid), cpuSec(c.pid)];
      if (perf && perf.exitCode === null) await new Promise((res) => perf.once('exit', res));
      const per = (x) => (x / r.requests).toFixed(1);
      const wv = (side) => {
        const [n, ns] = [w1[side].n - w0[side].n, w1[side].ns - w0[side].ns];
        return `${per(ns / 1e3)} (${(ns / 1e3 / n).toFixed(1)})`;
      };
      let wake = '—';
      let ipi = '—';
      if (perf) {
        const inWindow = (r.requests / seconds) * (seconds - 1); // perf counted for seconds − 1 s of the run
        const count = (ev) => Number(readFileSync(join(TMP_DIR, 'writev-perf.csv'), 'utf8').split('\n').find((l) => l.includes(ev))?.split(',')[0]);
        [wake, ipi] = [(count('sched_waking') / inWindow).toFixed(2), (count('ipi_send_cpu') / inWindow).toFixed(2)];
      }
      console.log(`| ${spec} | ${Math.round(r.rps)} | ${per((p1 - p0) * 1e6)} | ${per((m1.runNs - m0.runNs) / 1e3)} / ${per((m1.waitNs - m0.waitNs) / 1e3)} | ${wv('app')} | ${wv('upstream').split(' ')[0]} | ${wake} | ${ipi} |`);
    }
  }
  for (const spec of targets) await stop(live[spec].entry);
  await stopAll();
}
main().then(() => process.exit(0), async (err) => { console.error(err.stack); await stopAll(); process.exit(1); });
