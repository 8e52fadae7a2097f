// Does `node --cpu-prof` put samples where the time went on this machine? A
// loop of pure JS work followed by one cheap syscall (fstat of /dev/null),
// for 3 s, run under --cpu-prof: the share of the time measured inside fstat
// (hrtime around the call) against the share of samples V8 attributes to it.
// On a machine where a signal reaches a thread running user code at once the
// two agree; where it takes longer (here: a KVM guest, ~16 µs median, see
// signal-latency.c), the sample waits for the thread's next syscall and lands
// there, so every syscall is charged with the JS work just before it.
//   node experiments/sampler-bias.mjs [ITERATIONS ...]
import { fstatSync, openSync, readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--child') {
  const iters = Number(process.argv[3]);
  const fd = openSync('/dev/null', 'r');
  let [inSyscall, loops, x] = [0n, 0, 0];
  const t0 = process.hrtime.bigint();
  let now = t0;
  while (now - t0 < 3_000_000_000n) {
    for (let i = 0; i < iters; i++) x = (x + i * 7) % 1000003;
    const t = process.hrtime.bigint();
    fstatSync(fd);
    now = process.hrtime.bigint();
    inSyscall += now - t;
    loops++;
  }
  process.stdout.write(JSON.stringify({ loopUs: Number(now - t0) / 1e3 / loops, fstatUs: Number(inSyscall) / 1e3 / loops, x }));
} else {
  console.log('| JS work per loop, µs | fstat, µs per loop | fstat share of the time, measured | fstat share of V8 samples | over-attribution |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const iters of process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [5000, 20000, 200000]) {
    const dir = mkdtempSync(join(tmpdir(), 'sampler-bias-'));
    const out = JSON.parse(execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, fileURLToPath(import.meta.url), '--child', String(iters)]).toString());
    const prof = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    const names = new Map(prof.nodes.map((n) => [n.id, n.callFrame.functionName]));
    const fstat = prof.samples.filter((id) => names.get(id) === 'fstat').length / prof.samples.length;
    const measured = out.fstatUs / out.loopUs;
    console.log(`| ${(out.loopUs - out.fstatUs).toFixed(0)} | ${out.fstatUs.toFixed(2)} | ${(measured * 100).toFixed(1)} % | ${(fstat * 100).toFixed(1)} % | ${(fstat / measured).toFixed(1)}× |`);
  }
}
