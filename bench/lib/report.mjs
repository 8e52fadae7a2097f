// Render a results object as the Markdown tables bench/README.md carries.
// Usage as a script: node lib/report.mjs results/full.json

const COLS = ['direct', 'bare', 'sidecar', 'portkey'];

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (typeof v !== 'number') return String(v);
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function x(v) {
  if (v === null || v === undefined || !(v > 0)) return '—';
  return v < 0.1 ? `${v.toPrecision(2)}×` : `${fmt(v, 2)}×`;
}

/** What reading the reply whole before sending it (fallback-safety, docs/adr/0001) costs the floor. */
function bufferedTable(s) {
  const n = (v) => (typeof v === 'number' ? v : null);
  const rows = [
    ['max throughput, req/s', (c) => n(s.max[c]?.rps), 0],
    ['CPU per request at max throughput, µs', (c) => n(s.max[c]?.cpuUsPerReq), 1],
    ['CPU per request at 1,000 req/s, µs', (c) => n(s.latency[1000]?.[c]?.cpuUsPerReq), 1],
    ['added latency p50 at 1,000 req/s, ms', (c) => n(s.added[1000]?.[c]?.p50Ms), 3],
    ['added latency p99 at 1,000 req/s, ms', (c) => n(s.added[1000]?.[c]?.p99Ms), 3],
  ];
  const out = ['| figure (JSON requests) | bare forwarder | bare forwarder, buffered | bellwether sidecar | buffered ÷ bare | sidecar ÷ buffered |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const [name, get, digits] of rows) {
    const [b, bb, sc] = ['bare', 'bare-buffered', 'sidecar'].map(get);
    const r = (p, q) => (p > 0 && q > 0 && !(digits === 3 && q < 0.1) ? x(p / q) : '—');
    out.push(`| ${name} | ${fmt(b, digits)} | ${fmt(bb, digits)} | ${fmt(sc, digits)} | ${r(bb, b)} | ${r(sc, bb)} |`);
  }
  return out;
}

/** The default sidecar beside a variant of it (same run). */
function variantTable(s, a, b, label) {
  const n = (v) => (typeof v === 'number' ? v : null);
  const rows = [
    ['RSS with 1,000 open streams, MiB', (c) => n(s.openStreams[c]?.rssMiB), 1],
    ['idle RSS before those streams, MiB', (c) => n(s.openStreams[c]?.idleRssMiB), 1],
    ['peak RSS under request load, MiB', (c) => n(s.peakRssMiB[c]), 1],
    ['max throughput, req/s', (c) => n(s.max[c]?.rps), 0],
    ['max throughput ÷ bare forwarder', (c) => (n(s.max[c]?.rps) && n(s.max.bare?.rps) ? s.max[c].rps / s.max.bare.rps : null), 2],
    ['CPU per request at max throughput, µs', (c) => n(s.max[c]?.cpuUsPerReq), 1],
    ['CPU per request at 1,000 req/s, µs', (c) => n(s.latency[1000]?.[c]?.cpuUsPerReq), 1],
    ['added latency p50 / p99 at 1,000 req/s, ms', (c) => (s.added[1000]?.[c] ? `${fmt(s.added[1000][c].p50Ms, 3)} / ${fmt(s.added[1000][c].p99Ms, 3)}` : null), 3],
    ['streaming: added time to first byte p50, ms', (c) => n(s.streamsAdded[c]?.ttfbP50Ms), 3],
    ['streaming: added delay per chunk p99, ms', (c) => n(s.streamsAdded[c]?.chunkP99Ms), 3],
  ];
  const out = [`| figure | ${a} (default, headline) | ${label} | variant ÷ default |`, '| --- | ---: | ---: | ---: |'];
  for (const [name, get, digits] of rows) {
    const [va, vb] = [get(a), get(b)];
    out.push(`| ${name} | ${fmt(va, digits)} | ${fmt(vb, digits)} | ${typeof va === 'number' && typeof vb === 'number' ? x(vb / va) : '—'} |`);
  }
  return out;
}

/** What each feature costs: the sidecar with one feature on, beside the headline sidecar (max load). */
function featureTable(s) {
  const skip = ['sidecar-semi2', 'sidecar-a', 'sidecar-c'];
  const feats = [...new Set([...Object.keys(s.max), ...Object.keys(s.added?.[1000] ?? {})])].filter((c) => c.startsWith('sidecar-') && !skip.includes(c));
  const base = s.max.sidecar;
  // Added latency at 1,000 req/s, where a feature ran in that phase (shadow: its copies go out beside the app's requests).
  const paced = (c) => (s.added?.[1000]?.[c] ? `${fmt(s.added[1000][c].p50Ms, 3)} / ${fmt(s.added[1000][c].p99Ms, 3)}` : '—');
  const out = [
    '| sidecar with | req/s at max (64 connections) | CPU per request at max, µs | req/s ÷ headline sidecar | CPU ÷ headline sidecar | added latency p50 / p99 at 1,000 req/s, ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  out.push(`| nothing more (headline) | ${fmt(base?.rps, 0)} | ${fmt(base?.cpuUsPerReq, 1)} | — | — | ${paced('sidecar')} |`);
  for (const f of feats) {
    const m = s.max[f];
    const ratio = (a, b) => (m && base ? x(a / b) : '—');
    out.push(`| ${f.slice('sidecar-'.length)} | ${fmt(m?.rps, 0)} | ${fmt(m?.cpuUsPerReq, 1)} | ${ratio(m?.rps, base?.rps)} | ${ratio(m?.cpuUsPerReq, base?.cpuUsPerReq)} | ${paced(f)} |`);
  }
  return feats.length ? out : [];
}

export function renderMarkdown(result) {
  const { summary: s, meta } = result;
  const r = s.ratios;
  const row = (label, get, digits, ratioB = null, ratioP = null) => {
    const cells = COLS.map((c) => fmt(get(c), digits));
    return `| ${label} | ${cells.join(' | ')} | ${x(ratioB)} | ${x(ratioP)} |`;
  };
  // A ratio of two figures only when both are positive (added latency can come out negative in noise).
  // For added latencies, a denominator under 0.1 ms is noise, and so would the ratio be.
  const rel = (get, floor = 0) => [
    get('sidecar') > 0 && get('bare') > floor ? get('sidecar') / get('bare') : null,
    get('sidecar') > 0 && get('portkey') > floor ? get('sidecar') / get('portkey') : null,
  ];
  const lines = [];
  const n = (v) => (typeof v === 'number' ? v : null);
  const build = meta.sidecarBuild ? `sidecar build ${meta.sidecarBuild}` : `bellwether ${meta.versions.bellwetherCommit ?? '?'}` +
    (meta.versions.bellwetherUncommitted?.length ? ` + uncommitted changes to ${meta.versions.bellwetherUncommitted.join(', ')}` : '');
  lines.push(`Run: ${meta.mode} mode, ${meta.date}, ${meta.durationSec.toFixed(0)} s; ${build}; ${meta.machine.cpus} × ${meta.machine.cpuModel}, ` +
    `Node ${meta.versions.node}, Portkey ${meta.versions.portkeyGateway}, undici ${meta.versions.undici}, autocannon ${meta.versions.autocannon}; ` +
    `load average at start ${meta.machine.loadavgAtStart.join(' ')}. Cores used by other processes during the runs (median per phase): ` +
    `${Object.entries(s.neighbourCores ?? {}).map(([k, v]) => `${k} ${fmt(v, 2)}`).join(', ')}; runs repeated because of them: ${meta.repeatedRuns ?? 0}.`);
  lines.push('');
  lines.push('| figure | direct | bare forwarder | bellwether sidecar | Portkey | sidecar ÷ bare | sidecar ÷ Portkey |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const rate of Object.keys(s.latency)) {
    const lat = s.latency[rate];
    const add = s.added[rate];
    const note = (c) => (add[c] && !add[c].sustained ? ` (not sustained: ${fmt(lat[c].achievedRps, 0)}/s)` : '');
    const get50 = (c) => (c === 'direct' ? null : n(add[c]?.p50Ms));
    const get99 = (c) => (c === 'direct' ? null : n(add[c]?.p99Ms));
    lines.push(row(`latency p50 / p99 at ${rate} req/s, ms (absolute)`, (c) => (lat[c] ? `${fmt(lat[c].p50Ms, 3)} / ${fmt(lat[c].p99Ms, 3)}${note(c)}` : null), 3));
    lines.push(row(`added latency p50 at ${rate} req/s, ms`, get50, 3, ...rel(get50, 0.1)));
    lines.push(row(`added latency p99 at ${rate} req/s, ms`, get99, 3, ...rel(get99, 0.1)));
  }
  const rps = (c) => n(s.max[c]?.rps);
  lines.push(row('max throughput, 64 connections, req/s', rps, 0, r.sidecarVsBare.maxRps, r.sidecarVsPortkey.maxRps));
  const cpu1000 = (c) => (c === 'direct' ? null : n(s.latency[1000]?.[c]?.cpuUsPerReq));
  lines.push(row('proxy CPU per request at 1,000 req/s, µs', cpu1000, 1, ...rel(cpu1000)));
  const cpuMax = (c) => (c === 'direct' ? null : n(s.max[c]?.cpuUsPerReq));
  lines.push(row('proxy CPU per request at max throughput, µs', cpuMax, 1, ...rel(cpuMax)));
  const rss = (c) => n(s.peakRssMiB[c]);
  lines.push(row('proxy peak RSS under request load, MiB', rss, 1, ...rel(rss)));
  for (const [key, label] of [['ttfbP50Ms', 'streaming: added time to first byte p50, ms'], ['ttfbP99Ms', 'streaming: added time to first byte p99, ms'],
    ['chunkP50Ms', 'streaming: added delay per chunk p50, ms'], ['chunkP99Ms', 'streaming: added delay per chunk p99, ms']]) {
    const g = (c) => (c === 'direct' ? null : n(s.streamsAdded[c]?.[key]));
    lines.push(row(label, g, 3, ...rel(g, 0.1)));
  }
  const open = (c) => n(s.openStreams[c]?.rssMiB);
  lines.push(row('proxy RSS with 1,000 open streams, MiB', open, 1, ...rel(open)));
  lines.push(row('proxy idle RSS before those streams, MiB', (c) => n(s.openStreams[c]?.idleRssMiB), 1));
  lines.push(row('upstream streams left open 1 s after the app aborted 1,000', (c) => n(s.openStreams[c]?.upstreamStillOpenAfterAbort), 0));
  for (const [mode, w] of Object.entries(s.weight)) {
    if (w.error) {
      lines.push(`| weight change (${mode} write) | — | — | failed: ${w.error.split('\n')[0]} | — | — | — |`);
      continue;
    }
    const v = (a, b, never) => (never ? `${fmt(a, 0)} / ${fmt(b, 0)} (${never} of ${w.flips} never)` : `${fmt(a, 0)} / ${fmt(b, 0)}`);
    lines.push(`| weight change in route file (${mode} write), seen in traffic, median / max ms | — | — | ${v(w.trafficMedianMs, w.trafficMaxMs, w.trafficNeverSeen)} | — | — | — |`);
    lines.push(`| weight change in route file (${mode} write), seen in /status, median / max ms | — | — | ${v(w.statusMedianMs, w.statusMaxMs, w.statusNeverSeen)} | — | — | — |`);
  }
  if (s.max['bare-buffered']) lines.push('', ...bufferedTable(s));
  if (s.max['sidecar-semi2']) lines.push('', ...variantTable(s, 'sidecar', 'sidecar-semi2', "sidecar with the container image's env (`NODE_OPTIONS=--max-semi-space-size=2`)"));
  const features = featureTable(s);
  if (features.length) lines.push('', ...features);
  lines.push('');
  lines.push('| target (issue #11) | limit | measured | met |');
  lines.push('| --- | --- | ---: | :---: |');
  for (const t of s.targets) {
    lines.push(`| ${t.target} | ${t.limit} | ${t.value === null ? '—' : `${fmt(t.value, t.unit === 'ms' ? 3 : t.unit === '×' ? 2 : 1)} ${t.unit}`} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`);
  }
  if (meta.notes?.length) {
    lines.push('');
    for (const note of meta.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(renderMarkdown(JSON.parse(readFileSync(process.argv[2], 'utf8'))));
}
