// What shadow copies cost the app, from a run with the headline sidecar and the shadow
// contestants at 1,000 req/s (run.mjs --phases paced --rates 1000, ideally --reply-timing):
// per repetition, each contestant's added latency (its percentile minus direct's in the same
// repetition) and its ratio to the headline sidecar's, then the median over repetitions; the
// copies judged and the CPU each cost (the contestant's CPU minus the headline's CPU per
// request times its requests, over its copies); and, with --reply-timing, the time inside
// the sidecar from the upstream's last byte to the app's last byte, with no copy in flight
// and with one or more. Usage: node shadow.mjs results/NAME.json [--md results/NAME.md]
import { readFileSync, writeFileSync } from 'node:fs';
import { median } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const r = JSON.parse(readFileSync(argv[0], 'utf8'));
const mdOut = argv.includes('--md') ? argv[argv.indexOf('--md') + 1] : undefined;
const runs = r.raw.paced['1000'] ?? [];
const HEAD = 'sidecar';
const names = [HEAD, ...['sidecar-shadow10', 'sidecar-shadow', 'sidecar-a-shadow10', 'sidecar-a-shadow'].filter((n) => runs.some((x) => x.name === n))];
const reps = [...new Set(runs.map((x) => x.rep))].sort((a, b) => a - b);
const get = (rep, n) => runs.find((x) => x.rep === rep && x.name === n);
const f = (v, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
const list = (v, d = 2) => v.map((x) => f(x, d)).join(', ');
const LABEL = {
  sidecar: 'headline sidecar (no shadow)',
  'sidecar-shadow10': 'shadow weight 10',
  'sidecar-shadow': 'shadow weight 100 (worst case)',
  'sidecar-a-shadow10': 'build A (BENCH_SIDECAR_A_MAIN), shadow weight 10',
  'sidecar-a-shadow': 'build A (BENCH_SIDECAR_A_MAIN), shadow weight 100',
};

const rows = {};
for (const n of names) {
  const o = { addedP50: [], addedP99: [], p50Ratio: [], p99Ratio: [], cpuUsPerReq: [], pairsPerReq: [], cpuUsPerCopy: [], upstreamUsPerCopy: [], skipped: 0, pairs: 0, equivalent: 0 };
  for (const rep of reps) {
    const [x, d, h] = [get(rep, n), get(rep, 'direct'), get(rep, HEAD)];
    if (!x || !d || !h) continue;
    const a50 = x.latencyMs.p50 - d.latencyMs.p50;
    const a99 = x.latencyMs.p99 - d.latencyMs.p99;
    const h50 = h.latencyMs.p50 - d.latencyMs.p50;
    const h99 = h.latencyMs.p99 - d.latencyMs.p99;
    o.addedP50.push(a50);
    o.addedP99.push(a99);
    o.p50Ratio.push(a50 / h50);
    o.p99Ratio.push(a99 / h99);
    o.cpuUsPerReq.push((x.cpuSec / x.completedAll) * 1e6);
    if (x.shadow && n !== HEAD) {
      o.pairs += x.shadow.pairs;
      o.equivalent += x.shadow.equivalent;
      o.skipped += x.shadow.skipped;
      o.pairsPerReq.push(x.shadow.pairs / x.completedAll);
      if (x.shadow.pairs > 0) {
        o.cpuUsPerCopy.push(((x.cpuSec - (h.cpuSec / h.completedAll) * x.completedAll) / x.shadow.pairs) * 1e6);
        o.upstreamUsPerCopy.push(((x.upstreamCpuSec - (h.upstreamCpuSec / h.completedAll) * x.completedAll) / x.shadow.pairs) * 1e6);
      }
    }
  }
  // Each percentile's median over the repetitions (each run's own percentiles), and the samples' total.
  const overReps = (k) => {
    const per = runs.filter((x) => x.name === n && x.replyTiming).map((x) => x.replyTiming[k]).filter((t) => t.count > 0);
    const m = (p) => median(per.map((t) => t[p]));
    return { count: per.reduce((a, t) => a + t.count, 0), p50: m('p50'), p90: m('p90'), p99: m('p99'), max: Math.max(...per.map((t) => t.max)) };
  };
  o.noCopy = overReps('noCopy');
  o.copyInFlight = overReps('copyInFlight');
  rows[n] = o;
}

const lines = [];
lines.push(`${r.meta.mode} run, ${r.meta.date}, ${reps.length} repetitions at 1,000 req/s (${r.meta.method.pacedMs} ms each); bellwether ${r.meta.versions?.bellwetherCommit ?? r.meta.versions?.bellwether ?? ''}`.trim(), '');
lines.push('| contestant | added p50, ms (median; per rep) | added p99, ms (median; per rep) | p50 ÷ headline (median; per rep) | p99 ÷ headline (median; per rep) | CPU µs per request (median) | copies judged per request | CPU µs per copy, sidecar (median; per rep) | CPU µs per copy, fake upstream (median) |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of names) {
  const o = rows[n];
  const head = n === HEAD;
  lines.push(`| ${LABEL[n]} | ${f(median(o.addedP50))} (${list(o.addedP50)}) | ${f(median(o.addedP99))} (${list(o.addedP99)}) | ${head ? '—' : `${f(median(o.p50Ratio), 2)}× (${list(o.p50Ratio)})`} | ${head ? '—' : `${f(median(o.p99Ratio), 2)}× (${list(o.p99Ratio)})`} | ${f(median(o.cpuUsPerReq), 1)} | ${head ? '—' : f(median(o.pairsPerReq), 3)} | ${head ? '—' : `${f(median(o.cpuUsPerCopy), 0)} (${list(o.cpuUsPerCopy, 0)})`} | ${head ? '—' : f(median(o.upstreamUsPerCopy), 0)} |`);
}
if (names.some((n) => rows[n].noCopy.count > 0)) {
  lines.push('', 'Inside the sidecar (reply-timing.mjs): upstream\'s last reply byte → app\'s last reply byte handed to the socket, JSON replies; each percentile is the median of the repetitions\' own, n the replies of all repetitions, max the highest of any; "copy in flight" = at least one shadow copy of another request was between its start and its relay reply\'s end in this process at that moment.', '');
  lines.push('| contestant | no copy in flight: n, p50 / p90 / p99 / max, ms | copy in flight: n, p50 / p90 / p99 / max, ms |');
  lines.push('| --- | ---: | ---: |');
  const s = (x) => (x.count ? `${x.count}, ${f(x.p50)} / ${f(x.p90)} / ${f(x.p99)} / ${f(x.max)}` : '—');
  for (const n of names) lines.push(`| ${LABEL[n]} | ${s(rows[n].noCopy)} | ${s(rows[n].copyInFlight)} |`);
}
const shadowNames = names.filter((n) => n !== HEAD);
if (shadowNames.length) {
  lines.push('', shadowNames.map((n) => `${LABEL[n]}: ${rows[n].pairs} pairs judged (${rows[n].equivalent} equivalent), ${rows[n].skipped} copies skipped`).join('; ') + '.');
}

// The crossover (run.mjs --crossover W): per repetition, the shadowed instance against the
// unshadowed one (the same build and route but for spec.shadow), and, as the noise floor, the
// headline sidecar against the unshadowed instance (two identical sidecars, neither shadowed).
const crossReps = reps.map((rep) => {
  const xy = runs.filter((x) => x.rep === rep && x.shadowWeight !== undefined);
  const on = xy.find((x) => x.shadowWeight > 0);
  const off = xy.find((x) => x.shadowWeight === 0);
  const [d, h] = [get(rep, 'direct'), get(rep, HEAD)];
  return on && off && d && h ? { rep, on, off, d, h, z: get(rep, 'sidecar-z') } : undefined;
}).filter(Boolean);
if (crossReps.length) {
  const added = (x, d, p) => x.latencyMs[p] - d.latencyMs[p];
  const cpuPerReq = (x) => (x.cpuSec / x.completedAll) * 1e6;
  // Per repetition: the shadowed instance minus the unshadowed one; the reload control Z (reloaded
  // and warmed as they are, never shadowed) minus the unshadowed one: the noise floor; and the
  // headline (never reloaded) minus the unshadowed one.
  const ps = crossReps.map(({ on, off, d, h, z }) => ({
    onName: on.name,
    p50: added(on, d, 'p50') - added(off, d, 'p50'),
    p99: added(on, d, 'p99') - added(off, d, 'p99'),
    cpu: cpuPerReq(on) - cpuPerReq(off),
    ...(z ? { z50: added(z, d, 'p50') - added(off, d, 'p50'), z99: added(z, d, 'p99') - added(off, d, 'p99'), zCpu: cpuPerReq(z) - cpuPerReq(off) } : {}),
    h50: added(h, d, 'p50') - added(off, d, 'p50'),
    h99: added(h, d, 'p99') - added(off, d, 'p99'),
    hCpu: cpuPerReq(h) - cpuPerReq(off),
    off50: added(off, d, 'p50'),
    off99: added(off, d, 'p99'),
    offCpu: cpuPerReq(off),
    pairsPerReq: on.shadow ? on.shadow.pairs / on.completedAll : null,
    skippedPerReq: on.shadow ? on.shadow.skipped / on.completedAll : null,
  }));
  const col = (k, rows = ps) => rows.map((x) => x[k]).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const sorted = (k, rows) => col(k, rows).sort((a, b) => a - b);
  const q = (v, p) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  // Median and the middle half (quartiles) of the repetitions' differences, and how many were above zero.
  const cell = (k, d) => { const v = sorted(k); return v.length ? `${f(median(v), d)} (${f(q(v, 0.25), d)} to ${f(q(v, 0.75), d)}); ${v.filter((x) => x > 0).length} of ${v.length} above 0` : '—'; };
  const plain = (k, d) => { const v = sorted(k); return v.length ? `${f(median(v), d)} (${f(q(v, 0.25), d)} to ${f(q(v, 0.75), d)})` : '—'; };
  // One instance may be slower than the other whatever it runs: the mean of the two instances'
  // own medians (X shadowed, Y shadowed) takes that out, and the split shows how large it is.
  const byX = ps.filter((p) => p.onName === 'sidecar-x');
  const byY = ps.filter((p) => p.onName === 'sidecar-y');
  const balanced = (k, d) => { const [x, y] = [median(col(k, byX)), median(col(k, byY))]; return x === null || y === null ? '—' : `${f((x + y) / 2, d)} (X shadowed ${f(x, d)}, Y shadowed ${f(y, d)})`; };
  const weight = crossReps[0].on.shadowWeight;
  lines.push('', `Crossover (\`run.mjs --crossover ${weight}\`${r.meta.method.pinned ? ', `--pin`: each proxy on CPU 1, the client and the fake upstream on CPU 0' : ''}), ${crossReps.length} repetitions: in each, one of two plain sidecars (X: ${byX.length} repetitions, Y: ${byY.length}) ran with \`shadow: {weight: ${weight}, maxConcurrent: 8}\` written into its route file and the other without${ps.some((p) => p.z50 !== undefined) ? '; Z, reloaded and warmed as they are, is never shadowed' : ' (no reload control in this run)'}. Per repetition, median (quartiles), and in how many repetitions the difference was above zero (with no effect, about half); and the balanced estimate, the mean of the medians with X shadowed and with Y shadowed, which takes out what one instance runs slower than the other whatever it runs.`, '');
  lines.push('| per repetition | added p50, ms | added p99, ms | sidecar CPU per request, µs |');
  lines.push('| --- | ---: | ---: | ---: |');
  lines.push(`| unshadowed instance | ${plain('off50', 3)} | ${plain('off99', 3)} | ${plain('offCpu', 1)} |`);
  lines.push(`| **shadowed − unshadowed** | ${cell('p50', 3)} | ${cell('p99', 3)} | ${cell('cpu', 1)} |`);
  lines.push(`| shadowed − unshadowed, balanced | ${balanced('p50', 3)} | ${balanced('p99', 3)} | ${balanced('cpu', 1)} |`);
  if (ps.some((p) => p.z50 !== undefined)) lines.push(`| noise floor: Z − unshadowed, neither shadowed | ${cell('z50', 3)} | ${cell('z99', 3)} | ${cell('zCpu', 1)} |`);
  lines.push(`| headline (never reloaded) − unshadowed | ${cell('h50', 3)} | ${cell('h99', 3)} | ${cell('hCpu', 1)} |`);
  // With --reply-timing: inside each instance, as in the table above, for the runs it was shadowed in and the ones it was not.
  const timing = (rs, k) => {
    const per = rs.filter((x) => x.replyTiming).map((x) => x.replyTiming[k]).filter((t) => t.count > 0);
    const m = (p) => median(per.map((t) => t[p]));
    return per.length ? `${per.reduce((a, t) => a + t.count, 0)}, ${f(m('p50'))} / ${f(m('p90'))} / ${f(m('p99'))} / ${f(Math.max(...per.map((t) => t.max)))}` : '—';
  };
  if (crossReps.some((c) => c.on.replyTiming)) {
    lines.push('', 'Inside the crossover instances (reply-timing.mjs, as above): upstream\'s last reply byte → app\'s last reply byte, n, p50 / p90 / p99 / max, ms.', '');
    lines.push('| runs | no copy in flight | copy in flight |');
    lines.push('| --- | ---: | ---: |');
    lines.push(`| unshadowed | ${timing(crossReps.map((c) => c.off), 'noCopy')} | — |`);
    lines.push(`| shadowed | ${timing(crossReps.map((c) => c.on), 'noCopy')} | ${timing(crossReps.map((c) => c.on), 'copyInFlight')} |`);
  }
  lines.push('', `Copies judged per request ${plain('pairsPerReq', 3)}, skipped per request ${plain('skippedPerReq', 3)}. Shadowed − unshadowed at p50 per repetition, ms: X shadowed ${list(byX.map((p) => p.p50), 3)}; Y shadowed ${list(byY.map((p) => p.p50), 3)}.`);
}

const md = `${lines.join('\n')}\n`;
process.stdout.write(md);
if (mdOut) writeFileSync(mdOut, md);
