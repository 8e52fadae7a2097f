// What following the rendered ConfigMap through the API server costs an idle
// sidecar (issue 8, "config distribution"): the idle RSS of the sidecar with
// the route file only, with the API-server watch on (against the in-process
// fake API server from test/fakes/kube, over real HTTP), and — for the record —
// with @kubernetes/client-node merely loaded into it (what the watch would
// cost had it used that library; ADR 0007). Medians of REPS runs each; the
// machine is shared, so read the deltas, not the absolutes.
//
//   make build && node bench/idle-watch.mjs [--reps 3] [--settle-ms 3000]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchRoute } from './lib/route.mjs';
import { freePort, memory, startNode, stop, stopAll, waitFor } from './lib/procs.mjs';
import { median } from './lib/stats.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, 'settle-ms': { type: 'string', default: '3000' } } });
const REPS = Number(values.reps);
const SETTLE_MS = Number(values['settle-ms']);

const { startFakeKube } = await import(join(REPO, 'dist/test/fakes/kube/server.js'));
const kube = await startFakeKube();
const dir = mkdtempSync(join(tmpdir(), 'bellwether-idle-watch-'));
const routeText = benchRoute('http://127.0.0.1:9').replace('__WEIGHT__', '25');
const routeFile = join(dir, 'route.yaml');
writeFileSync(routeFile, routeText);
const keyFile = join(dir, 'relay-key');
writeFileSync(keyFile, 'sk-bench-relay-key\n');
const CM = 'bellwether-bench';
kube.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CM, namespace: 'bench' }, data: { 'route.yaml': routeText } });
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, kube.serviceAccount('bench', 'default', [{ verbs: ['get', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: [CM] }]).token);

const CLIENT_NODE = join(REPO, 'node_modules/@kubernetes/client-node/dist/index.js');
const variants = {
  'file only': [],
  'API watch (undici)': ['--watch-configmap', `bench/${CM}`, '--kube-api', kube.url, '--kube-token-file', tokenFile],
  'client-node loaded, unused': ['@import'],
};

async function idleRss(extra) {
  const [port, adminPort] = [await freePort(), await freePort()];
  const nodeFlags = ['--max-semi-space-size=2'];
  const args = extra[0] === '@import' ? [...nodeFlags, `--import=${CLIENT_NODE}`] : nodeFlags;
  const entry = startNode('sidecar', [
    ...args,
    join(REPO, 'dist/sidecar/main.js'),
    '--route', routeFile,
    '--relay-key-file', keyFile,
    '--port', String(port),
    '--admin-port', String(adminPort),
    '--admin-host', '127.0.0.1',
    '--log-level', 'warn',
    ...(extra[0] === '@import' ? [] : extra),
  ]);
  const admin = `http://127.0.0.1:${adminPort}`;
  await waitFor('readyz', () => fetch(`${admin}/readyz`).then((r) => r.ok, () => false));
  if (extra.length && extra[0] !== '@import') {
    await waitFor('the watch', async () => (await (await fetch(`${admin}/status`)).json()).config.files.route_api?.ok === true);
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const { rssMiB } = memory(entry.child.pid);
  const metrics = await (await fetch(`${admin}/metrics`)).text();
  const heap = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? NaN) / 1048576;
  await stop(entry);
  return { rssMiB, heap };
}

try {
  const rows = [];
  let base;
  for (const [name, extra] of Object.entries(variants)) {
    const runs = [];
    for (let i = 0; i < REPS; i++) runs.push(await idleRss(extra));
    const m = median(runs.map((r) => r.rssMiB));
    const h = median(runs.map((r) => r.heap));
    base ??= { m, h };
    const delta = (x) => (x >= 0 ? '+' : '') + x.toFixed(1);
    rows.push([name, m.toFixed(1), delta(m - base.m), h.toFixed(1), delta(h - base.h), runs.map((r) => r.rssMiB.toFixed(1)).join(' ')]);
  }
  console.log(`idle sidecar RSS, MiB (median of ${REPS}, ${SETTLE_MS} ms after ready, NODE_OPTIONS=--max-semi-space-size=2)`);
  const widths = [28, 8, 8, 10, 8, 30];
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' ');
  console.log(line(['variant', 'RSS', 'delta', 'heap used', 'delta', 'RSS runs']));
  for (const r of rows) console.log(line(r));
} finally {
  await stopAll();
  await kube.close();
}
