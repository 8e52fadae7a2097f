// The load and measurement process. It runs apart from the orchestrator and
// from every contestant, and does what the orchestrator asks over IPC:
//   paced        open-loop requests at a fixed rate, latency of each (µs precision)
//   max          autocannon at N connections for D seconds (closed loop)
//   streams      K concurrent SSE streams for D ms: time to first byte and delay per chunk
//   openStreams  open N SSE streams and hold them (closeStreams ends them)
//   weightFlip   rewrite the route file with a new weight, time until it shows
import { writeFileSync, renameSync } from 'node:fs';
import { Pool } from 'undici';
import autocannon from 'autocannon';
import { summarize } from './lib/stats.mjs';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const pools = new Map();
function poolFor(origin, connections = 256) {
  const key = `${origin}#${connections}`;
  if (!pools.has(key)) pools.set(key, new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 }));
  return pools.get(key);
}

function splitURL(url) {
  const u = new URL(url);
  return { origin: u.origin, path: u.pathname + u.search };
}

/**
 * Open loop: request i is due at start + i/rate, whatever happened to the ones
 * before it, so a slow proxy cannot slow the arrivals down (no coordinated
 * omission). Latency is from the moment the request is handed to undici to the
 * last byte of the response body. Requests due while `maxInFlight` are already
 * outstanding are not sent and counted as `skipped`. Requests due in the first
 * `warmupMs` are sent but not measured. `seq`: each request carries its number in
 * `x-bench-seq` (reply-timing.mjs pairs a sidecar's upstream and app replies by it).
 */
async function paced({ url, headers, body, rate, durationMs, warmupMs = 250, connections = 128, maxInFlight = 512, seq = false }) {
  const { origin, path } = splitURL(url);
  const pool = poolFor(origin, connections);
  const latencies = [];
  const statuses = {};
  const sides = {};
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  let sent = 0;
  let completedAll = 0;
  let completedInWindow = 0;
  let lastCompletion = 0;
  const lags = [];
  const interval = 1000 / rate;
  const start = nowMs();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  let done;
  let scheduled = false; // every due request has been sent (or skipped)
  const finished = new Promise((r) => (done = r));

  const fire = (dueAt) => {
    const t0 = nowMs();
    const measured = dueAt >= measureFrom;
    if (measured) lags.push(t0 - dueAt);
    inFlight++;
    pool
      .request({ method: 'POST', path, headers: seq ? { ...headers, 'x-bench-seq': String(sent) } : headers, body })
      .then(async (res) => {
        await res.body.dump({ limit: Infinity });
        const t1 = nowMs();
        completedAll++;
        lastCompletion = t1;
        if (measured) {
          if (t1 <= end) completedInWindow++;
          latencies.push(Math.round((t1 - t0) * 1000) / 1000);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          const side = res.headers['x-bellwether-side'];
          if (side) sides[side] = (sides[side] ?? 0) + 1;
        }
      })
      .catch(() => {
        if (measured) errors++;
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0 && scheduled) done();
      });
  };

  const tick = () => {
    const t = nowMs();
    while (start + sent * interval <= t && start + sent * interval < end) {
      const due = start + sent * interval;
      sent++;
      if (inFlight >= maxInFlight) {
        if (due >= measureFrom) skipped++;
        continue;
      }
      fire(due);
    }
    if (start + sent * interval < end) {
      setTimeout(tick, Math.max(0, start + sent * interval - nowMs()));
    } else {
      scheduled = true;
      if (inFlight === 0) done();
    }
  };
  tick();
  const outcome = await Promise.race([finished, sleep(durationMs + warmupMs + 15_000).then(() => 'timeout')]);
  const lat = summarize(latencies);
  return {
    rate,
    durationMs,
    completed: latencies.length,
    completedAll,
    achievedRps: completedInWindow / (durationMs / 1000),
    drainMs: Math.max(0, lastCompletion - end),
    errors,
    skipped,
    unfinished: outcome === 'timeout' ? inFlight : 0,
    statuses,
    sides,
    latencyMs: lat,
    scheduleLagMs: { p99: summarize(lags).p99, max: summarize(lags).max },
    samples: latencies,
  };
}

/** Closed loop at `connections` for `durationSec`: the most the path can move. */
async function max({ url, headers, body, connections = 64, durationSec = 5 }) {
  const r = await autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining: 1,
    duration: durationSec,
    timeout: 30,
  });
  return {
    connections,
    durationSec,
    requests: r.requests.total,
    rps: r.requests.total / durationSec,
    rpsPerSecondMean: r.requests.average,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average },
  };
}

const CONTENT_TS = /"content":"t(\d+)"/g;

/**
 * One SSE request. Calls onFirstByte(ms since dispatch) for the first body
 * bytes, onChunkDelay(ms) for each chunk whose upstream write time is embedded
 * in it (`"content":"t<ns>"`, CLOCK_MONOTONIC, the same clock as here).
 */
async function oneStream(pool, path, headers, body, signal, onFirstByte, onChunkDelay) {
  const t0 = process.hrtime.bigint();
  const res = await pool.request({ method: 'POST', path, headers, body, signal });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`status ${res.statusCode}`);
  }
  let first = true;
  let carry = '';
  let chunks = 0;
  for await (const buf of res.body) {
    const t = process.hrtime.bigint();
    if (first) {
      first = false;
      onFirstByte(Number(t - t0) / 1e6);
    }
    const text = carry + buf.toString('latin1');
    const cut = text.lastIndexOf('\n');
    carry = cut >= 0 ? text.slice(cut + 1) : text;
    const whole = cut >= 0 ? text.slice(0, cut) : '';
    for (const m of whole.matchAll(CONTENT_TS)) {
      chunks++;
      onChunkDelay(Number(t - BigInt(m[1])) / 1e6);
    }
  }
  return chunks;
}

async function streams({ url, headers, body, concurrency = 100, durationMs = 3000, warmupMs = 300 }) {
  const { origin, path } = splitURL(url);
  const pool = poolFor(origin, concurrency + 16);
  const ttfb = [];
  const delays = [];
  let completed = 0;
  let failed = 0;
  let chunks = 0;
  const start = nowMs();
  const stopAt = start + warmupMs + durationMs;
  const lane = async () => {
    while (nowMs() < stopAt) {
      const measured = nowMs() >= start + warmupMs;
      try {
        // (not `chunks += await …`: that reads `chunks` before the await and loses other lanes' counts)
        const n = await oneStream(
          pool, path, headers, body, undefined,
          (ms) => measured && ttfb.push(Math.round(ms * 1000) / 1000),
          (ms) => measured && delays.push(Math.round(ms * 1000) / 1000),
        );
        chunks += n;
        if (measured) completed++;
      } catch {
        failed++;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return {
    concurrency,
    durationMs,
    streamsCompleted: completed,
    streamsFailed: failed,
    chunks,
    ttfbMs: summarize(ttfb),
    chunkDelayMs: summarize(delays),
    ttfbSamples: ttfb,
    chunkSamples: delays,
  };
}

let held = [];
async function openStreams({ url, headers, body, n = 1000, openTimeoutMs = 30_000 }) {
  const { origin, path } = splitURL(url);
  const pool = new Pool(origin, { connections: n + 8, pipelining: 1 });
  let opened = 0;
  let failed = 0;
  let allOpen;
  const allOpened = new Promise((r) => (allOpen = r));
  const t0 = nowMs();
  held = Array.from({ length: n }, () => {
    const ac = new AbortController();
    const p = oneStream(pool, path, headers, body, ac.signal, () => {
      if (++opened + failed === n) allOpen();
    }, () => {}).catch(() => {
      if (!ac.signal.aborted && ++failed + opened === n) allOpen();
    });
    return { ac, p };
  });
  held.pool = pool;
  const outcome = await Promise.race([allOpened.then(() => 'ok'), sleep(openTimeoutMs).then(() => 'timeout')]);
  return { n, opened, failed, outcome, openMs: nowMs() - t0 };
}

async function closeStreams() {
  const pool = held.pool;
  for (const { ac } of held) ac.abort();
  await Promise.allSettled(held.map((h) => h.p));
  held = [];
  await pool?.destroy();
  return { closed: true };
}

async function readDesiredWeight(adminURL) {
  try {
    const res = await fetch(`${adminURL}/status`);
    const j = await res.json();
    const w = j?.weight ?? j?.canary ?? {};
    const d = w.desired ?? w.desiredWeight ?? j?.desiredWeight ?? w.weight ?? j?.route?.canary?.weight;
    return typeof d === 'number' ? d : null;
  } catch {
    return null;
  }
}

/**
 * Flip the route's weight between 0 and 100 `flips` times. After each write,
 * two probes race: requests in a loop (the change is visible when a response
 * comes from the side the new weight forces) and GET /status (weight.desired).
 * Times are from the end of the write (rename) to the first sighting.
 */
async function weightFlip({ routePath, routeFor, url, headers, body, adminURL, flips = 6, timeoutMs = 10_000, mode = 'rename' }) {
  const { origin, path } = splitURL(url);
  const pool = poolFor(origin, 16);
  const write = (weight) => {
    const text = routeFor.replace('__WEIGHT__', String(weight));
    if (mode === 'rename') {
      const tmp = `${routePath}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, routePath);
    } else {
      writeFileSync(routePath, text);
    }
  };
  const sideNow = async () => {
    const res = await pool.request({ method: 'POST', path, headers, body });
    await res.body.dump();
    return res.headers['x-bellwether-side'] ?? null;
  };
  const results = [];
  // Settle at weight 0 first.
  write(0);
  const settleEnd = nowMs() + timeoutMs;
  while (nowMs() < settleEnd) {
    let allOfficial = true;
    for (let i = 0; i < 20; i++) if ((await sideNow()) !== 'official') allOfficial = false;
    if (allOfficial) break;
    await sleep(50);
  }
  await sleep(300);
  for (let i = 0; i < flips; i++) {
    const weight = i % 2 === 0 ? 100 : 0;
    const want = weight === 100 ? 'relay' : 'official';
    const t0 = nowMs();
    write(weight);
    const deadline = t0 + timeoutMs;
    let trafficMs = null;
    let statusMs = null;
    const traffic = (async () => {
      while (trafficMs === null && nowMs() < deadline) {
        if ((await sideNow()) === want) trafficMs = nowMs() - t0;
      }
    })();
    const status = (async () => {
      while (statusMs === null && nowMs() < deadline) {
        if ((await readDesiredWeight(adminURL)) === weight) statusMs = nowMs() - t0;
        else await sleep(2);
      }
    })();
    await Promise.all([traffic, status]);
    results.push({ weight, trafficMs, statusMs });
    await sleep(400);
  }
  return { mode, flips: results };
}

const commands = { paced, max, streams, openStreams, closeStreams, weightFlip };

process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await commands[cmd](args ?? {});
    process.send({ id, ok: true, result });
  } catch (err) {
    process.send({ id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
