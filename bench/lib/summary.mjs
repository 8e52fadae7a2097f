// Turn the raw runs into the figures: medians over repetitions, latency added
// over direct (paired by repetition), ratios and the targets.
import { median, ratio, round, summarize } from './stats.mjs';

const byName = (runs, name) => runs.filter((r) => r.name === name);

/** a − b, or null when either is missing. */
function minus(a, b) {
  return typeof a === 'number' && typeof b === 'number' ? a - b : null;
}

/** Lowest and highest of one figure over the repetitions: how noisy it was. */
function spread(runs, pick) {
  const v = runs.map(pick).filter((x) => typeof x === 'number');
  return v.length ? [round(Math.min(...v), 3), round(Math.max(...v), 3)] : null;
}

const cpuUs = (r, requests) => (r.cpuSec !== null && requests > 0 ? (r.cpuSec / requests) * 1e6 : null);

/**
 * `samples` holds every repetition's raw values pooled per contestant
 * (samples.paced[rate][name], samples.ttfb[name], samples.chunk[name]):
 * percentiles come from the pooled set, added = pooled(proxy) − pooled(direct).
 */
export function summarizeRun(raw, samples, names) {
  const proxies = names.filter((n) => n !== 'direct');
  const s = { latency: {}, added: {}, max: {}, peakRssMiB: {}, streams: {}, streamsAdded: {}, openStreams: {}, weight: {} };

  for (const [rate, runs] of Object.entries(raw.paced)) {
    s.latency[rate] = {};
    s.added[rate] = {};
    for (const n of names) {
      const rs = byName(runs, n);
      if (!rs.length) continue; // not run in this phase
      const pooled = summarize(samples.paced[rate]?.[n] ?? []);
      s.latency[rate][n] = {
        samples: pooled.count,
        p50Ms: round(pooled.p50, 4),
        p99Ms: round(pooled.p99, 4),
        p999Ms: round(pooled.p999, 4),
        p99RangeOverRepsMs: spread(rs, (r) => r.latencyMs.p99),
        achievedRps: round(median(rs.map((r) => r.achievedRps)), 1),
        drainMs: round(Math.max(...rs.map((r) => r.drainMs)), 1),
        skipped: rs.reduce((a, r) => a + r.skipped, 0),
        errors: rs.reduce((a, r) => a + r.errors + r.unfinished, 0),
        non200: rs.reduce((a, r) => a + Object.entries(r.statuses).filter(([k]) => k !== '200').reduce((x, [, v]) => x + v, 0), 0),
        cpuUsPerReq: round(median(rs.map((r) => cpuUs(r, r.completedAll))), 1),
        upstreamCpuUsPerReq: round(median(rs.map((r) => cpuUs({ cpuSec: r.upstreamCpuSec }, r.completedAll))), 1),
        busyCores: round(median(rs.map((r) => r.busyCores)), 2),
        sides: rs.reduce((acc, r) => {
          for (const [k, v] of Object.entries(r.sides ?? {})) acc[k] = (acc[k] ?? 0) + v;
          return acc;
        }, {}),
      };
    }
    for (const n of proxies) {
      const l = s.latency[rate][n];
      if (!l) continue;
      const sustained = l.skipped === 0 && l.errors === 0 && l.achievedRps >= 0.95 * Number(rate) && l.drainMs < 1000;
      s.added[rate][n] = {
        p50Ms: round(minus(l.p50Ms, s.latency[rate].direct?.p50Ms), 4),
        p99Ms: round(minus(l.p99Ms, s.latency[rate].direct?.p99Ms), 4),
        sustained,
      };
    }
  }

  for (const n of names) {
    const rs = byName(raw.max, n);
    if (!rs.length) continue;
    s.max[n] = {
      rps: round(median(rs.map((r) => r.rps)), 0),
      cpuUsPerReq: round(median(rs.map((r) => cpuUs(r, r.requests))), 1),
      cpuCores: round(median(rs.map((r) => (r.cpuSec ?? NaN) / r.durationSec)), 2),
      upstreamCpuUsPerReq: round(median(rs.map((r) => cpuUs({ cpuSec: r.upstreamCpuSec }, r.requests))), 1),
      busyCores: round(median(rs.map((r) => r.busyCores)), 2),
      errors: rs.reduce((a, r) => a + r.errors + r.timeouts + r.non2xx, 0),
    };
  }

  for (const n of proxies) if (raw.memory[n]) s.peakRssMiB[n] = round(raw.memory[n].hwmMiB, 1);

  for (const n of names) {
    const rs = byName(raw.streams, n);
    if (!rs.length) continue;
    const ttfb = summarize(samples.ttfb[n] ?? []);
    const chunk = summarize(samples.chunk[n] ?? []);
    s.streams[n] = {
      ttfbP50Ms: round(ttfb.p50, 4),
      ttfbP99Ms: round(ttfb.p99, 4),
      chunkP50Ms: round(chunk.p50, 4),
      chunkP99Ms: round(chunk.p99, 4),
      chunkP999Ms: round(chunk.p999, 4),
      chunks: chunk.count,
      streams: rs.reduce((a, r) => a + r.streamsCompleted, 0),
      failed: rs.reduce((a, r) => a + r.streamsFailed, 0),
      cpuUsPerChunk: round(median(rs.map((r) => cpuUs(r, r.chunks))), 1),
    };
  }
  for (const n of proxies) {
    if (!s.streams[n]) continue;
    const [a, d] = [s.streams[n], s.streams.direct ?? {}];
    s.streamsAdded[n] = {
      ttfbP50Ms: round(minus(a.ttfbP50Ms, d.ttfbP50Ms), 4),
      ttfbP99Ms: round(minus(a.ttfbP99Ms, d.ttfbP99Ms), 4),
      chunkP50Ms: round(minus(a.chunkP50Ms, d.chunkP50Ms), 4),
      chunkP99Ms: round(minus(a.chunkP99Ms, d.chunkP99Ms), 4),
    };
  }

  for (const [n, r] of Object.entries(raw.openStreams)) {
    s.openStreams[n] = {
      opened: r.opened, of: r.n, rssMiB: round(r.rssOpenMiB, 1), idleRssMiB: round(r.rssBeforeMiB, 1), hwmMiB: round(r.hwmMiB, 1),
      upstreamStillOpenAfterAbort: r.upstreamStillOpenAfterAbort,
    };
  }

  for (const w of raw.weight) {
    if (w.error) {
      s.weight[w.mode] = { error: w.error };
      continue;
    }
    const t = w.flips.map((f) => f.trafficMs);
    const st = w.flips.map((f) => f.statusMs);
    s.weight[w.mode] = {
      flips: w.flips.length,
      trafficMedianMs: round(median(t), 1),
      trafficMaxMs: t.includes(null) ? null : round(Math.max(...t), 1),
      trafficNeverSeen: t.filter((x) => x === null).length,
      statusMedianMs: round(median(st), 1),
      statusMaxMs: st.includes(null) ? null : round(Math.max(...st), 1),
      statusNeverSeen: st.filter((x) => x === null).length,
    };
  }

  // How much of the 2 cores other work on the machine took during each phase.
  s.otherCores = {};
  for (const [rate, runs] of Object.entries(raw.paced)) s.otherCores[`paced${rate}`] = round(median(runs.map((r) => r.otherCores)), 2);
  s.otherCores.max = round(median(raw.max.map((r) => r.otherCores)), 2);
  s.otherCores.streams = round(median(raw.streams.map((r) => r.otherCores)), 2);
  s.neighbourCores = {};
  for (const [rate, runs] of Object.entries(raw.paced)) s.neighbourCores[`paced${rate}`] = round(median(runs.map((r) => r.neighbourCores)), 2);
  s.neighbourCores.max = round(median(raw.max.map((r) => r.neighbourCores)), 2);
  s.neighbourCores.streams = round(median(raw.streams.map((r) => r.neighbourCores)), 2);

  s.ratios = ratios(s);
  s.targets = targets(s);
  return s;
}

function ratios(s) {
  const pair = (other) => ({
    addedP99At1000: ratio(s.added[1000]?.sidecar?.p99Ms, s.added[1000]?.[other]?.p99Ms),
    maxRps: ratio(s.max.sidecar?.rps, s.max[other]?.rps),
    cpuUsPerReqAt1000: ratio(s.latency[1000]?.sidecar?.cpuUsPerReq, s.latency[1000]?.[other]?.cpuUsPerReq),
    cpuUsPerReqAtMax: ratio(s.max.sidecar?.cpuUsPerReq, s.max[other]?.cpuUsPerReq),
    peakRss: ratio(s.peakRssMiB.sidecar, s.peakRssMiB[other]),
    openStreamsRss: ratio(s.openStreams.sidecar?.rssMiB, s.openStreams[other]?.rssMiB),
  });
  return { sidecarVsBare: pair('bare'), sidecarVsPortkey: pair('portkey') };
}

/** Issue #11's targets, as ratios to the bare forwarder of the same run where it says so. */
function targets(s) {
  const sc = (v) => (typeof v === 'number' ? v : null);
  const minus = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : null);
  const rb = s.ratios.sidecarVsBare;
  // Memory is judged with the environment the container image sets (sidecar-semi2), when that contestant ran.
  const img = s.openStreams['sidecar-semi2'] ? 'sidecar-semi2' : 'sidecar';
  const imgNote = img === 'sidecar-semi2' ? ", with the container image's env" : '';
  const list = [
    { target: 'max throughput ÷ bare forwarder', limit: '≥ 0.85×', value: sc(rb.maxRps), unit: '×', ok: (v) => v >= 0.85 },
    { target: 'CPU per request at 1,000 req/s ÷ bare', limit: '≤ 1.2×', value: sc(rb.cpuUsPerReqAt1000), unit: '×', ok: (v) => v <= 1.2 },
    { target: 'CPU per request at max throughput ÷ bare', limit: '≤ 1.2×', value: sc(rb.cpuUsPerReqAtMax), unit: '×', ok: (v) => v <= 1.2 },
    { target: 'added p99 at 1,000 req/s ÷ bare', limit: '≤ 1.3×', value: sc(rb.addedP99At1000), unit: '×', ok: (v) => v <= 1.3 },
    { target: 'streaming: added time to first event p50, minus bare\'s', limit: '≤ 1 ms', value: minus(s.streamsAdded.sidecar?.ttfbP50Ms, s.streamsAdded.bare?.ttfbP50Ms), unit: 'ms', ok: (v) => v <= 1 },
    { target: 'streaming: added time to first event p99, minus bare\'s', limit: '≤ 1 ms', value: minus(s.streamsAdded.sidecar?.ttfbP99Ms, s.streamsAdded.bare?.ttfbP99Ms), unit: 'ms', ok: (v) => v <= 1 },
    { target: 'streaming: added delay per chunk p50 ÷ bare', limit: '≤ 1.2×', value: ratio(s.streamsAdded.sidecar?.chunkP50Ms, s.streamsAdded.bare?.chunkP50Ms), unit: '×', ok: (v) => v <= 1.2 },
    { target: 'streaming: added delay per chunk p99 ÷ bare', limit: '≤ 1.2×', value: ratio(s.streamsAdded.sidecar?.chunkP99Ms, s.streamsAdded.bare?.chunkP99Ms), unit: '×', ok: (v) => v <= 1.2 },
    { target: 'max throughput ÷ Portkey', limit: '≥ 12×', value: sc(s.ratios.sidecarVsPortkey.maxRps), unit: '×', ok: (v) => v >= 12 },
    { target: `idle RSS${imgNote}`, limit: '≤ 60 MiB', value: sc(s.openStreams[img]?.idleRssMiB), unit: 'MiB', ok: (v) => v <= 60 },
    { target: `RSS with 1,000 open streams${imgNote}`, limit: '≤ 100 MiB', value: sc(s.openStreams[img]?.rssMiB), unit: 'MiB', ok: (v) => v <= 100 },
    { target: `peak RSS under request load${imgNote} ÷ bare`, limit: '≤ 1.1×', value: ratio(s.peakRssMiB[img], s.peakRssMiB.bare), unit: '×', ok: (v) => v <= 1.1 },
    { target: 'weight change seen in traffic (max)', limit: '≤ 2 s (DESIGN)', value: sc(s.weight.rename?.trafficMaxMs), unit: 'ms', ok: (v) => v <= 2000 },
  ];
  return list.map(({ ok, ...t }) => ({ ...t, value: t.value === null ? null : round(t.value, 3), met: t.value === null ? null : ok(t.value) }));
}
