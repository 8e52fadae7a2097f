/**
 * End to end, as a cluster would run it, on a plain machine: the fake
 * Kubernetes API server (real HTTP, client-node unmodified), the operator
 * (controller + admission webhook over HTTPS), and two real sidecar PROCESSES
 * started from the containers the webhook injected — their args, env and
 * mounts, with the kubelet's part played here (files from the ConfigMap and
 * the Secret, the pod's service-account token, the pod IP 127.0.0.1).
 *
 * apply a route → inject two pods → traffic through both sidecars → the merged
 * fleet status → break the relay → the fleet rollback, its Event, effective
 * weight 0 in both sidecars → patch the weight → both sidecars follow.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import OpenAI from 'openai';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { FakeKube } from '../fakes/kube/server.js';
import { startCluster, type TestCluster } from '../fakes/kube/cluster.js';
import { eventually } from '../fakes/kube/poll.js';
import type { RunningSidecar } from '../fakes/kube/kubelet.js';
import type { FakeUpstream } from '../fakes/upstream.js';
import type { RelayRoute, RelayRouteStatus } from '../../operator/route.js';

const NS = 'shop';
const ROUTE = 'support-bot';
const RELAY_KEY = 'relay-secret-key-for-e2e-0009';
const RR = { group: 'bellwether.dev', version: 'v1alpha1', plural: 'relayroutes' };
const log = pino({ level: process.env.BELLWETHER_TEST_LOG ?? 'silent' });

let cluster: TestCluster;
let kube: FakeKube;
let official: FakeUpstream;
let relay: FakeUpstream;
let sidecars: RunningSidecar[];

beforeAll(async () => {
  cluster = await startCluster({
    namespace: NS,
    relayKeySecret: { name: 'holysheep-api-credentials', key: 'API_KEY', value: RELAY_KEY },
    sidecar: { image: 'bellwether/sidecar:e2e', logLevel: 'info' },
    log,
    operator: { identity: 'operator-e2e', leaderElect: true, lease: { renewPeriodMs: 200, retryPeriodMs: 100 }, statusIntervalMs: 400, fleetTimeoutMs: 1000 },
  });
  ({ kube, official, relay, sidecars } = cluster);
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

const route = (): RelayRoute => kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, ROUTE) as unknown as RelayRoute;
const statusOf = async (s: (typeof sidecars)[number]) => (await (await fetch(`${s.admin}/status`)).json()) as { generation: number; weight: { desired: number; fleet: number | null; effective: number }; window: { sides: { relay: { requests: number } } } };


async function traffic(n: number): Promise<number> {
  let ok = 0;
  for (const s of sidecars) {
    const client = new OpenAI({ baseURL: s.baseURL, apiKey: 'app-key', maxRetries: 0 });
    for (let i = 0; i < n; i++) {
      const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${i}` }] });
      if (r.choices.length > 0) ok++;
    }
  }
  return ok;
}

it('apply → inject → traffic → merged status → relay breaks → fleet rollback → weight patched → both sidecars follow', async () => {
  await cluster.applyRoute(ROUTE, {
    models: [{ match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' }],
    catalog: [
      { name: 'deepseek-chat', contextWindow: 64000, price: { input: 0.21, output: 0.42 } },
      { name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } },
      { name: 'gpt-4.1', price: { input: 2, output: 8 } },
    ],
    canary: { weight: 50 },
    // Pods judge on their own window too; the fleet's minimum is what both pods together reach.
    rollback: { window: '1m', minRequests: 30, maxErrorRate: 0.05, maxP99Latency: '2s' },
    retry: { attempts: 0 },
    circuitBreaker: { consecutiveFailures: 1000, cooldown: '30s' },
  });
  expect(kube.get('v1', 'ConfigMap', NS, `bellwether-${ROUTE}`)).toBeDefined();

  // Two pods of the workload: the webhook injects them (native sidecar: the server is 1.29).
  const core = cluster.core;
  for (const name of ['support-bot-a', 'support-bot-b']) {
    const pod = await core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels: { app: ROUTE } }, spec: { containers: [{ name: 'app', image: 'support-bot:1' }] } } });
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['bellwether']);
    expect(pod.spec?.containers[0]?.env).toContainEqual({ name: 'OPENAI_BASE_URL', value: 'http://127.0.0.1:14000/v1' });
    expect(pod.metadata?.annotations?.['bellwether.dev/injected']).toBe('true');
    await cluster.runInjected(pod);
  }

  // Traffic through both sidecars; the operator merges both windows.
  expect(await traffic(20)).toBe(40);
  // The traffic is over: the pods' windows hold still, and a poll after it sums them exactly.
  const perPod = await Promise.all(sidecars.map(statusOf));
  const relayRequests = perPod.reduce((n, s) => n + s.window.sides.relay.requests, 0);
  expect(relayRequests).toBeGreaterThan(0);
  const merged = (await eventually(() => {
    const st = route()?.status;
    return st?.pods?.reporting === 2 && st.sides?.relay.requests === relayRequests && st;
  }, { timeoutMs: 10_000, what: `merged status from two pods with ${relayRequests} relay requests` })) as RelayRouteStatus;
  expect(merged.pods).toEqual({ selected: 2, injected: 2, reporting: 2 });
  expect(merged.conditions?.find((c) => c.type === 'TrafficSeen')?.status).toBe('True');

  // The relay breaks: every app request still succeeds (fallback to official), and the fleet rolls back.
  relay.setDefault({ kind: 'status', status: 503 });
  expect(await traffic(30)).toBe(60);
  const rolled = (await eventually(() => route()?.status?.phase === 'RolledBack' && route().status, { timeoutMs: 10_000, what: 'fleet rollback' })) as RelayRouteStatus;
  expect(rolled.effectiveWeight).toBe(0);
  // The Event follows the status write.
  const messages = () => kube.events(NS).map((e) => String((e as { message?: string; note?: string }).message ?? (e as { note?: string }).note));
  const rolledBack = /^Rolled back: relay error rate \d+(\.\d+)?% > 5(\.0+)?% over 1m \(\d[\d,]* relay requests from 2 pods\)$/;
  await eventually(() => messages().some((m) => rolledBack.test(m)), { timeoutMs: 5_000, what: `the rollback Event; events so far: ${JSON.stringify(messages())}` });
  // Effective weight 0 reached both sidecars through the API server.
  await eventually(async () => (await Promise.all(sidecars.map(statusOf))).every((s) => s.weight.fleet === 0), { timeoutMs: 5_000, what: 'fleet weight 0 in both sidecars' });

  // The relay recovers; the user sets the weight again (a new generation): both sidecars follow.
  relay.setDefault({ kind: 'auto' });
  const before = route().metadata.generation!;
  await kube.kubeconfig.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({ ...RR, namespace: NS, name: ROUTE, body: { spec: { canary: { weight: 30 } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  await eventually(async () => (await Promise.all(sidecars.map(statusOf))).every((s) => s.generation > before && s.weight.desired === 30 && s.weight.effective === 30), {
    timeoutMs: 5_000,
    what: 'the new weight in both sidecars',
  });
  expect(await traffic(5)).toBe(10);
}, 90_000);
