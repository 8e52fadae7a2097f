// The A/B table of a run with both `sidecar` (B, this build) and `sidecar-a`
// (A, BENCH_SIDECAR_A_MAIN): per-repetition pairs and the median of B ÷ A, so a
// change is judged against the other build measured minutes apart, in the same
// rotation. Usage: node ab.mjs results/NAME.json [other] — `other` compares
// `sidecar` with another contestant instead (e.g. sidecar-c, BENCH_SIDECAR_C_MAIN).
import { readFileSync } from 'node:fs';
import { median } from './lib/stats.mjs';

const r = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const A = process.argv[3] ?? 'sidecar-a';
const cpuUs = (x, n) => (x.cpuSec / n) * 1e6;
const rows = [];
const pair = (label, runs, pick, { lowerBetter = true } = {}) => {
  const reps = [...new Set(runs.map((x) => x.rep))];
  const ratios = [];
  const a = [], b = [], bare = [];
  for (const rep of reps) {
    const get = (n) => runs.find((x) => x.rep === rep && x.name === n);
    const [ra, rb, rbare] = [get(A), get('sidecar'), get('bare')];
    if (!ra || !rb) continue;
    a.push(pick(ra)); b.push(pick(rb));
    if (rbare) bare.push(pick(rbare));
    ratios.push(pick(rb) / pick(ra));
  }
  if (!ratios.length) return;
  const f = (v) => (v.length ? median(v).toFixed(1) : '-');
  rows.push(`| ${label} | ${f(bare)} | ${f(a)} | ${f(b)} | ${median(ratios).toFixed(3)} (${ratios.map((x) => x.toFixed(2)).join(', ')}) | ${lowerBetter ? 'lower' : 'higher'} |`);
};
pair('max throughput, req/s', r.raw.max, (x) => x.rps, { lowerBetter: false });
pair('CPU µs/request at max', r.raw.max, (x) => cpuUs(x, x.requests));
for (const rate of Object.keys(r.raw.paced)) {
  pair(`CPU µs/request at ${rate}/s`, r.raw.paced[rate], (x) => cpuUs(x, x.completedAll));
  pair(`p99 ms at ${rate}/s`, r.raw.paced[rate], (x) => x.latencyMs.p99);
}
pair('streams: TTFB p50 ms', r.raw.streams, (x) => x.ttfbMs.p50);
pair('streams: chunk delay p99 ms', r.raw.streams, (x) => x.chunkDelayMs.p99);
pair('streams: CPU µs/chunk', r.raw.streams, (x) => cpuUs(x, x.chunks));
console.log(`A = ${A}; B = sidecar; ${r.meta.mode}, ${r.meta.date}`);
console.log('| figure | bare | A | B | B ÷ A median (per rep) | better |');
console.log('| --- | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) console.log(row);
for (const [n, o] of Object.entries(r.summary.openStreams ?? {})) console.log(`${n}: idle RSS ${o.idleRssMiB} MiB, 1,000 streams ${o.rssMiB} MiB`);
