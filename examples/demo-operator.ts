/**
 * `make demo`, part two: the operator. On a plain machine there is no
 * cluster, so the Kubernetes API is the project's in-process fake API server
 * (real HTTP; the operator's client-node runs unmodified), and the kubelet's
 * part — mounting the ConfigMap and the Secret, running the injected
 * container — is played by test/fakes/kube/kubelet.ts, which starts each
 * injected sidecar as a real process from the container the webhook wrote.
 * The story: apply a RelayRoute at weight 0 with spec.shadow, the webhook
 * injects two pods, the relay answers shadow copies and the operator merges
 * them (phase Shadowing), the canary starts at weight 25, traffic flows,
 * the fleet's status merges, a weight flip reaches both sidecars, the relay
 * breaks and the operator rolls the fleet back, `kubectl relay resume`.
 * Every step is checked; a failed expectation exits 1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import OpenAI from 'openai';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from '../test/fakes/kube/server.js';
import { eventually } from '../test/fakes/kube/poll.js';
import { freePort, runInjectedSidecar, type RunningSidecar } from '../test/fakes/kube/kubelet.js';
import { startFakeUpstream, type FakeUpstream } from '../test/fakes/upstream.js';
import { Operator } from '../operator/controller/operator.js';
import { ADMIN_PORT_ANNOTATION, statusURLResolver } from '../operator/controller/fleet.js';
import { startWebhook, type Webhook } from '../operator/webhook/index.js';
import type { RelayRouteStatus } from '../operator/route.js';
import { checks, DemoFailure, expect } from './demo/check.js';
import { bold, dim, green, ms, pct, red, say, section, table } from './demo/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NS = 'shop';
const ROUTE = 'support-bot';
const RR = { group: 'bellwether.dev', version: 'v1alpha1', plural: 'relayroutes' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface SidecarDoc { generation: number; weight: { desired: number; fleet: number | null; effective: number }; window: { sides: { relay: { requests: number } } } }

const closers: Array<() => Promise<unknown>> = [];
const dir = mkdtempSync(join(tmpdir(), 'bellwether-demo-operator-'));

async function main(): Promise<number> {
  const started = performance.now();
  say(bold('bellwether demo, part two') + ' · the operator: a fake Kubernetes API server, the operator and its webhook, two injected pods');
  try {
    await story(started);
    say(`${green('✓')} ${bold('operator demo passed')}: ${checks.passed} checks in ${ms(performance.now() - started)}`);
    return 0;
  } catch (err) {
    say();
    say(err instanceof DemoFailure ? `${red('✗ demo failed:')} ${err.message}` : `${red('✗ demo crashed:')} ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function story(started: number): Promise<void> {
  // ── 1. the cluster ──
  section('1. cluster', 'a fake API server (Kubernetes 1.29), the operator (leader election), its admission webhook (own CA)');
  const kube: FakeKube = await startFakeKube({ crds: [parse(readFileSync(join(ROOT, 'crds/relayroute.yaml'), 'utf8')) as object], serverVersion: { major: '1', minor: '29' } });
  closers.push(() => kube.close());
  const [official, relay]: FakeUpstream[] = [await startFakeUpstream({ name: 'official' }), await startFakeUpstream({ name: 'relay' })];
  closers.push(() => Promise.all([official!.close(), relay!.close()]));
  const core = kube.kubeconfig.makeApiClient(CoreV1Api);
  const crs = kube.kubeconfig.makeApiClient(CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  const log = pino({ level: 'silent' });
  const port = await freePort();
  const webhook: Webhook = await startWebhook({
    kube: kube.kubeconfig, namespace: 'bellwether-system', port, host: '127.0.0.1', url: `https://127.0.0.1:${port}/mutate-pods`,
    serviceName: 'bellwether-webhook', sidecar: { image: 'ghcr.io/bellwether/sidecar:0.1.0', resources: { requests: { cpu: '50m', memory: '96Mi' } }, logLevel: 'warn' },
    log, registry: new Registry(),
  });
  closers.push(() => webhook.close());
  const operator = new Operator({
    kubeconfig: kube.kubeconfig, namespace: 'bellwether-system', identity: 'bellwether-operator-0', log, leaderElect: true,
    lease: { renewPeriodMs: 200, retryPeriodMs: 100 }, statusIntervalMs: 500, fleetTimeoutMs: 1000,
    statusURL: statusURLResolver({ adminPortAnnotation: true }), // two pods on one host (demo support)
  });
  await operator.start();
  closers.push(() => operator.stop());
  const lease = await eventually(() => kube.get('coordination.k8s.io/v1', 'Lease', 'bellwether-system', 'bellwether-operator') as { spec?: { holderIdentity?: string } } | undefined, { timeoutMs: 5_000, what: 'the Lease' });
  say(`  operator leads (Lease bellwether-operator held by ${lease.spec?.holderIdentity}); webhook registered by URL with the operator's own CA in caBundle`);
  expect(lease.spec?.holderIdentity === 'bellwether-operator-0', 'the operator did not take the Lease');

  // ── 2. apply ──
  section('2. kubectl apply', 'a Secret with the relay key and the RelayRoute (weight 0 and spec.shadow first; chain deepseek-chat → kimi-k2 → official)');
  await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'holysheep-api-credentials' }, data: { API_KEY: Buffer.from('sk-demo-relay-key-0001').toString('base64') } } });
  await crs.createNamespacedCustomObject({ ...RR, namespace: NS, body: {
    apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', metadata: { name: ROUTE },
    spec: {
      selector: { matchLabels: { app: ROUTE } },
      official: { baseURL: official!.url },
      relay: { baseURL: relay!.url, apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
      models: [{ match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' }],
      catalog: [
        { name: 'deepseek-chat', contextWindow: 64000, price: { input: 0.21, output: 0.42 } },
        { name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } },
        { name: 'gpt-4.1', price: { input: 2, output: 8 } },
      ],
      canary: { weight: 0 },
      shadow: { weight: 100, minPairs: 40 },
      rollback: { window: '1m', minRequests: 30, maxErrorRate: 0.05, maxP99Latency: '2s' },
      retry: { attempts: 0 },
      circuitBreaker: { consecutiveFailures: 1000, cooldown: '30s' },
    },
  } });
  const route = () => kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, ROUTE) as unknown as { metadata: { generation: number }; status?: RelayRouteStatus };
  const ready = (await eventually(() => route()?.status?.conditions?.some((c) => c.type === 'ConfigDistributed' && c.status === 'True') && route().status, { timeoutMs: 10_000, what: 'ConfigDistributed' })) as RelayRouteStatus;
  table([['condition', 'status', 'reason'], ...(ready.conditions ?? []).map((c) => [c.type, c.status, c.reason])], 'lll', { indent: '    ' });
  for (const [kind, apiVersion, name] of [['ConfigMap', 'v1', `bellwether-${ROUTE}`], ['Role', 'rbac.authorization.k8s.io/v1', `bellwether-${ROUTE}-config`], ['RoleBinding', 'rbac.authorization.k8s.io/v1', `bellwether-${ROUTE}-config`]] as const) {
    expect(kube.get(apiVersion, kind, NS, name) !== undefined, `no ${kind} ${name}`);
  }
  say(`  rendered: ConfigMap bellwether-${ROUTE} (route.yaml + decisions), Role and RoleBinding bellwether-${ROUTE}-config (get/watch on that ConfigMap only)`);

  // ── 3. inject ──
  section('3. the workload starts', 'two pods labelled app=support-bot; the webhook injects the sidecar');
  const sidecars: RunningSidecar[] = [];
  for (const name of ['support-bot-7d9f-a', 'support-bot-7d9f-b']) {
    const pod = await core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels: { app: ROUTE } }, spec: { containers: [{ name: 'app', image: 'support-bot:1.4' }] } } });
    const init = pod.spec?.initContainers?.map((c) => c.name) ?? [];
    const env = pod.spec?.containers[0]?.env?.find((e) => e.name === 'OPENAI_BASE_URL')?.value;
    say(`  ${name}: initContainers ${JSON.stringify(init)} (native sidecar), app env OPENAI_BASE_URL=${env}, annotations injected=${pod.metadata?.annotations?.['bellwether.dev/injected']}`);
    expect(init.includes('bellwether') && env === 'http://127.0.0.1:14000/v1', `${name} was not injected`);
    const s = await runInjectedSidecar(kube, pod, { sidecarMain: join(ROOT, 'dist/sidecar/main.js'), dir, adminPortAnnotation: ADMIN_PORT_ANNOTATION });
    sidecars.push(s);
    closers.push(() => s.stop());
  }
  say(dim('  (the kubelet part is played here: each injected container runs as a real sidecar process with its own args, mounts and service-account token)'));

  const ask = async (n: number): Promise<number> => {
    let ok = 0;
    for (const s of sidecars) {
      const client = new OpenAI({ baseURL: s.baseURL, apiKey: 'app-key', maxRetries: 0 });
      for (let i = 0; i < n; i++) ok += (await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }] })).choices.length > 0 ? 1 : 0;
    }
    return ok;
  };
  const docs = async (): Promise<SidecarDoc[]> => Promise.all(sidecars.map(async (s) => (await (await fetch(`${s.admin}/status`)).json()) as SidecarDoc));

  // ── 4. shadow ──
  section('4. shadow first', 'at weight 0 every request is served by the official API and copied to the relay; the operator merges the pairs');
  const answer = 'The capital of France is Paris, on the Seine; it has been the capital for most of a thousand years.';
  official!.setDefault({ kind: 'auto', content: answer });
  relay!.setDefault({ kind: 'auto', content: answer });
  expect((await ask(20)) === 40, 'app requests failed while shadowing');
  const shadowing = (await eventually(() => route()?.status?.phase === 'Shadowing' && (route().status?.shadow?.pairs ?? 0) >= 40 && route().status, { timeoutMs: 10_000, what: 'status.shadow with 40 pairs' })) as RelayRouteStatus;
  const sh = shadowing.shadow!;
  say(`  ${dim('kubectl get rr support-bot -o jsonpath={.status.phase} {.status.shadow}')}`);
  say(`    ${shadowing.phase}  pairs ${sh.pairs}, equivalence ${pct(Math.round((sh.equivalence ?? 0) * 1000), 1000)}, relay errors ${pct(Math.round(sh.relayErrorRate * 1000), 1000)}, relay p99 on copies ${sh.relayP99LatencyMs !== undefined ? ms(sh.relayP99LatencyMs) : '—'}, spent $${sh.costUSD.toFixed(4)}`);
  say(`  the relay answered ${relay!.requests.length} copies nobody saw; the app got 40/40 official answers`);
  expect(sh.equivalence === 1 && relay!.requests.length === 40, 'shadow: the merged pairs are not what the sidecars judged');
  official!.setDefault({ kind: 'auto' });
  relay!.setDefault({ kind: 'auto' });
  relay!.reset();
  await crs.patchNamespacedCustomObject({ ...RR, namespace: NS, name: ROUTE, body: { spec: { canary: { weight: 25 }, shadow: null } } }, merge);
  await eventually(async () => (await docs()).every((d) => d.weight.effective === 25), { timeoutMs: 5_000, what: 'weight 25 in both sidecars' });
  say(`  the shadow looks good: ${dim('kubectl patch rr support-bot --type merge -p \'{"spec":{"canary":{"weight":25},"shadow":null}}\'')} starts the canary`);

  // ── 5. traffic ──
  section('5. traffic', 'the app (openai SDK) asks 40 questions through each pod');
  expect((await ask(40)) === 80, 'app requests failed');
  const relayed = (await docs()).reduce((n, d) => n + d.window.sides.relay.requests, 0);
  const merged = (await eventually(() => route()?.status?.sides?.relay.requests === relayed && route().status?.pods?.reporting === 2 && route().status, { timeoutMs: 10_000, what: 'the merged fleet status' })) as RelayRouteStatus;
  const rr = (st: RelayRouteStatus) => [ROUTE, `${st.desiredWeight}/${st.effectiveWeight}`, st.phase ?? '', pct(Math.round((st.sides?.relay.errorRate ?? 0) * 1000), 1000), st.sides?.relay.p99LatencyMs !== undefined ? ms(st.sides.relay.p99LatencyMs) : '—', `${st.pods?.reporting}/${st.pods?.injected}/${st.pods?.selected}`];
  say(`  ${dim('kubectl get rr -n shop')}`);
  table([['NAME', 'WEIGHT', 'PHASE', 'RELAY-ERRORS', 'RELAY-P99', 'PODS (reporting/injected/selected)'], rr(merged)], 'llllll', { indent: '    ' });
  say(`  the operator merged both sidecars' windows: ${relayed} relay-routed requests (${pct(relayed, 80)} of 80 at weight 25), TrafficSeen ${merged.conditions?.find((c) => c.type === 'TrafficSeen')?.status}`);

  // ── 6. flip ──
  section('6. flip the weight', 'kubectl patch rr support-bot --type merge -p \'{"spec":{"canary":{"weight":N}}}\', five times');
  const flips: number[] = [];
  for (const weight of [40, 55, 70, 85, 50]) {
    const t0 = performance.now();
    await crs.patchNamespacedCustomObject({ ...RR, namespace: NS, name: ROUTE, body: { spec: { canary: { weight } } } }, merge);
    await eventually(async () => (await docs()).every((d) => d.weight.effective === weight), { timeoutMs: 5_000, intervalMs: 5, what: `weight ${weight} in both sidecars` });
    flips.push(performance.now() - t0);
  }
  const sorted = [...flips].sort((a, b) => a - b);
  say(`  patch → both sidecars apply it: ${flips.map((f) => ms(f)).join(', ')} (median ${ms(sorted[2]!)}, max ${ms(sorted[4]!)}); the mounted file would take up to a minute`);
  expect(sorted[4]! < 2000, `a weight change took ${ms(sorted[4]!)} to reach both sidecars (DESIGN: < 2 s)`);

  // ── 7. the relay fails ──
  section('7. the relay fails', 'every relay model answers 503; the app must not notice, the fleet must roll back');
  relay!.setDefault({ kind: 'status', status: 503 });
  expect((await ask(30)) === 60, 'app requests failed while the relay was down');
  const rolled = (await eventually(() => route()?.status?.phase === 'RolledBack' && route().status, { timeoutMs: 10_000, what: 'the fleet rollback' })) as RelayRouteStatus;
  const event = await eventually(() => kube.events(NS).map((e) => String((e as { message?: string }).message)).find((m) => m.startsWith('Rolled back:')), { timeoutMs: 5_000, what: 'the rollback Event' });
  say(`  60/60 app requests succeeded (fallback to official); then ${dim('kubectl describe rr')} shows the Event:`);
  say(`    ${red('Warning')}  RolledBack  ${bold(event)}`);
  await eventually(async () => (await docs()).every((d) => d.weight.fleet === 0), { timeoutMs: 5_000, what: 'effective weight 0 in both sidecars' });
  table([['NAME', 'WEIGHT', 'PHASE', 'RELAY-ERRORS', 'RELAY-P99', 'PODS'], rr(rolled)], 'llllll', { indent: '    ' });
  say('  both sidecars now read effective weight 0 from the rendered ConfigMap: every request goes to the official API');

  // ── 8. resume ──
  section('8. resume', 'the relay is healthy again; kubectl relay resume support-bot (bumps spec.canary.restartedAt: a new generation)');
  relay!.setDefault({ kind: 'auto' });
  const generation = route().metadata.generation;
  await crs.patchNamespacedCustomObject({ ...RR, namespace: NS, name: ROUTE, body: { spec: { canary: { restartedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } } }, merge);
  await eventually(async () => (await docs()).every((d) => d.generation > generation && d.weight.effective === 50), { timeoutMs: 5_000, what: 'the resumed weight in both sidecars' });
  const resumed = (await eventually(() => route()?.status?.phase !== 'RolledBack' && route().status, { timeoutMs: 10_000, what: 'the resumed phase' })) as RelayRouteStatus;
  expect((await ask(10)) === 20, 'app requests failed after the resume');
  table([['NAME', 'WEIGHT', 'PHASE', 'RELAY-ERRORS', 'RELAY-P99', 'PODS'], rr(resumed)], 'llllll', { indent: '    ' });
  say(`  ${green('✓')} the fleet routes 50% to the relay again (generation ${generation} → ${route().metadata.generation})`);
  say(`\n${bold('summary')} · ${ms(performance.now() - started)}: route applied, 2 pods injected, ${sh.pairs} shadow pairs merged (phase Shadowing), ${relayed} requests merged from both, 5 weight flips in ${ms(sorted[0]!)}–${ms(sorted[4]!)}, relay failure → fleet rollback, resume`);
}

main().then((code) => process.exit(code), () => process.exit(1));
